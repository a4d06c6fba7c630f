using Microsoft.Extensions.Logging.Abstractions;
using MossGrains.Runtime.Membership;
using MossGrains.Runtime.Providers.InMemory;

namespace MossGrains.Runtime.Tests.Membership;

public sealed class MembershipOptionsTests
{
    [Fact]
    public void Defaults_detect_a_crashed_silo_within_15_seconds()
    {
        var options = new MembershipOptions();
        var worstCase = ((options.NumMissedProbesLimit + 1) * options.ProbePeriod) + options.ProbeTimeout;
        Assert.True(worstCase <= TimeSpan.FromSeconds(15), $"worst case {worstCase}");
        Assert.Equal(2, options.NumVotesForDeathDeclaration);
        Assert.Equal(TimeSpan.FromSeconds(90), options.IAmAliveStaleAge);
    }

    [Theory]
    [InlineData(nameof(MembershipOptions.ProbePeriod))]
    [InlineData(nameof(MembershipOptions.NumMissedProbesLimit))]
    [InlineData(nameof(MembershipOptions.NumVotesForDeathDeclaration))]
    public void Invalid_settings_are_refused_by_name(string setting)
    {
        var options = new MembershipOptions();
        switch (setting)
        {
            case nameof(MembershipOptions.ProbePeriod):
                options.ProbePeriod = TimeSpan.Zero;
                break;
            case nameof(MembershipOptions.NumMissedProbesLimit):
                options.NumMissedProbesLimit = 0;
                break;
            default:
                options.NumVotesForDeathDeclaration = -1;
                break;
        }

        using var probes = new HttpMembershipProbeClient();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new MembershipService(
            new InMemoryMembershipTable(), probes, () => new SiloAddress("127.0.0.1", 1, 1), "s", options, TimeProvider.System, NullLogger<MembershipService>.Instance));
        Assert.Equal(setting, error.ParamName);
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }
}
