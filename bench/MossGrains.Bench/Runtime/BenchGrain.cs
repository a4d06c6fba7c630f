using MossGrains.Runtime;

namespace MossGrains.Bench.Runtime;

/// <summary>The smallest useful grain: what a call costs when the method itself costs nothing.</summary>
public interface IBenchGrain : IGrainWithStringKey
{
    Task<int> EchoAsync(int value);
}

public sealed class BenchGrain : Grain, IBenchGrain
{
    public Task<int> EchoAsync(int value) => Task.FromResult(value);
}
