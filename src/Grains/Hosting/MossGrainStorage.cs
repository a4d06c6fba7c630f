namespace MossGrains.Grains;

/// <summary>The grain storage provider MossGrains' grains persist their small state in (files in the data folder on one node, Azure Blob in a cluster).</summary>
public static class MossGrainStorage
{
    public const string Name = "moss";
}
