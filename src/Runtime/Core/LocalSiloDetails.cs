namespace MossGrains.Runtime;

/// <summary>The silo running in this host (resolve it from the host's services).</summary>
public interface ILocalSiloDetails
{
    string Name { get; }

    /// <summary>This silo's address; available once the host has started.</summary>
    SiloAddress SiloAddress { get; }
}

/// <summary>This silo's name and address; the address is known once the messaging endpoint is bound.</summary>
internal sealed class LocalSiloDetails(string name) : ILocalSiloDetails
{
    private SiloAddress? siloAddress;

    public string Name { get; } = name;

    public SiloAddress SiloAddress
    {
        get => siloAddress ?? throw new InvalidOperationException("The silo has not started yet.");
        set => siloAddress = value;
    }

    public bool IsStarted => siloAddress is not null;
}
