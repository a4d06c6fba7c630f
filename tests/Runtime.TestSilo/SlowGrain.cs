namespace MossGrains.Runtime.TestSilo;

/// <summary>A grain whose calls take as long as asked (for caller timeouts across processes).</summary>
public interface ISlowGrain : IGrainWithStringKey
{
    Task<string> WhereAsync();

    Task DelayAsync(TimeSpan delay);
}

public class SlowGrain : Grain, ISlowGrain
{
    public Task<string> WhereAsync() => Task.FromResult(RuntimeIdentity);

    public Task DelayAsync(TimeSpan delay) => Task.Delay(delay);
}
