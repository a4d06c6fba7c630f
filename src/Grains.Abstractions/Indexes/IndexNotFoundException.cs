namespace MossGrains.Grains.Indexes;

/// <summary>The index was never published to the store, or is not loaded where a loaded index is required.</summary>
[GenerateSerializer]
[Alias("moss.IndexNotFoundException")]
public sealed class IndexNotFoundException : Exception
{
    public IndexNotFoundException()
    {
    }

    public IndexNotFoundException(string message)
        : base(message)
    {
    }

    public IndexNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
