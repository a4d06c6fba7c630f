using MossGrains.Runtime.Placement;

namespace MossGrains.Runtime.TestSilo;

/// <summary>Reports where it lives; its class is [HashBasedPlacement].</summary>
public interface IHashPlacedGrain : IGrainWithStringKey
{
    /// <summary>The silo hosting the activation (host:port@generation).</summary>
    Task<string> WhereAsync();
}

[HashBasedPlacement]
public class HashPlacedGrain : Grain, IHashPlacedGrain
{
    public Task<string> WhereAsync() => Task.FromResult(RuntimeIdentity);
}

/// <summary>Reports where it lives; its class is [PreferLocalPlacement].</summary>
public interface ILocalPlacedGrain : IGrainWithStringKey
{
    /// <summary>The silo hosting the activation (host:port@generation).</summary>
    Task<string> WhereAsync();
}

[PreferLocalPlacement]
public class LocalPlacedGrain : Grain, ILocalPlacedGrain
{
    public Task<string> WhereAsync() => Task.FromResult(RuntimeIdentity);
}

/// <summary>Calls grains it is handed by reference (references cross process boundaries as arguments and results).</summary>
public interface IRelayGrain : IGrainWithStringKey
{
    Task<string> WhereAsync();

    /// <summary>Where <paramref name="other"/> lives, asked by this grain.</summary>
    Task<string> AskWhereAsync(IPingGrain other);

    /// <summary>Increments <paramref name="other"/> and returns it, so the caller can use the returned reference.</summary>
    Task<IPingGrain> IncrementAndReturnAsync(IPingGrain other);

    /// <summary>Where a new [PreferLocalPlacement] activation created by this grain lands.</summary>
    Task<string> PlaceLocalAsync(string key);
}

public class RelayGrain : Grain, IRelayGrain
{
    public Task<string> WhereAsync() => Task.FromResult(RuntimeIdentity);

    public Task<string> AskWhereAsync(IPingGrain other) => other.WhereAsync();

    public async Task<IPingGrain> IncrementAndReturnAsync(IPingGrain other)
    {
        await other.IncrementAsync();
        return other;
    }

    public Task<string> PlaceLocalAsync(string key) => GrainFactory.GetGrain<ILocalPlacedGrain>(key).WhereAsync();
}
