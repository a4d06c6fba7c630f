namespace MossGrains.Bench.Peers;

/// <summary>One approximate index over the 100K vectors, built once; its search expansion (ef) can be changed between queries.</summary>
internal abstract class AnnCandidate : IDisposable
{
    protected AnnCandidate(string name) => Name = name;

    public string Name { get; }

    public double BuildSeconds { get; protected set; }

    /// <summary>Memory the index holds, vectors included, and how it was counted.</summary>
    public (long Bytes, string How) Memory { get; protected set; }

    public abstract int Ef { set; }

    /// <summary>Row numbers of the best <paramref name="k"/> vectors, best first.</summary>
    public abstract int[] Search(float[] query, int k);

    public virtual void Dispose()
    {
    }
}
