using MossGrains.Runtime.GrainDirectory;
using MossGrains.Runtime.Membership;
using MossGrains.Runtime.Providers.InMemory;
using MossGrains.Runtime.Providers.Postgres;
using MossGrains.Runtime.Reminders;
using MossGrains.Runtime.Tests.Infrastructure;

namespace MossGrains.Runtime.Tests.Providers;

public sealed class InMemoryMembershipTableTests : MembershipTableContract
{
    private readonly Dictionary<string, InMemoryMembershipTable> _clusters = [];

    protected override Task<IMembershipTable> CreateTableAsync(string clusterId) =>
        Task.FromResult<IMembershipTable>(_clusters.TryGetValue(clusterId, out var table) ? table : _clusters[clusterId] = new());
}

public sealed class PostgresMembershipTableTests(PostgresDatabaseFixture database) : MembershipTableContract, IClassFixture<PostgresDatabaseFixture>
{
    protected override Task<IMembershipTable> CreateTableAsync(string clusterId) =>
        Task.FromResult<IMembershipTable>(new PostgresMembershipTable(database.DataSource, clusterId));
}

public sealed class InMemoryGrainDirectoryTests : GrainDirectoryContract
{
    protected override Task<IGrainDirectory> CreateDirectoryAsync(string clusterId) => Task.FromResult<IGrainDirectory>(new InMemoryGrainDirectory());
}

public sealed class PostgresGrainDirectoryTests(PostgresDatabaseFixture database) : GrainDirectoryContract, IClassFixture<PostgresDatabaseFixture>
{
    protected override Task<IGrainDirectory> CreateDirectoryAsync(string clusterId) =>
        Task.FromResult<IGrainDirectory>(new PostgresGrainDirectory(database.DataSource, clusterId));
}

public sealed class InMemoryReminderTableTests : ReminderTableContract
{
    protected override Task<IReminderTable> CreateTableAsync(string clusterId) => Task.FromResult<IReminderTable>(new InMemoryReminderTable());
}

public sealed class PostgresReminderTableTests(PostgresDatabaseFixture database) : ReminderTableContract, IClassFixture<PostgresDatabaseFixture>
{
    protected override Task<IReminderTable> CreateTableAsync(string clusterId) =>
        Task.FromResult<IReminderTable>(new PostgresReminderTable(database.DataSource, clusterId));
}
