namespace MossGrains.Runtime;

/// <summary>This silo's name and address; the address is known once the messaging endpoint is bound.</summary>
internal sealed class LocalSiloDetails(string name)
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
