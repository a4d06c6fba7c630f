namespace MossGrains.Grains.Indexes;

/// <summary>What an index grain persists: that the index is loaded and how it refreshes, so a reactivation on another silo (reached by its reminder or a query) loads it again the same way.</summary>
[GenerateSerializer]
[Alias("moss.LoadedIndexState")]
public sealed class LoadedIndexState
{
    [Id(0)]
    public bool Loaded { get; set; }

    [Id(1)]
    public LoadIndexRequest Settings { get; set; } = new();
}
