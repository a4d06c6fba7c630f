namespace MossGrains.Engine.Onnx;

/// <summary>ONNX Runtime's graph optimisation levels (<c>GraphOptimizationLevel</c>).</summary>
public enum OrtGraphOptimizationLevel
{
    None = 0,
    Basic = 1,
    Extended = 2,
    All = 99,
}

/// <summary>How an <see cref="OrtSession"/> runs its model.</summary>
public sealed class OrtSessionOptions
{
    /// <summary>
    /// Threads one operator may use. Default 1: a query embeds inside a conversation turn next to
    /// other sessions' work, so one predictable thread beats contention; 0 lets ONNX Runtime use all cores.
    /// </summary>
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>Threads for running independent graph nodes in parallel. Default 1 (sequential execution).</summary>
    public int InterOpThreads { get; set; } = 1;

    /// <summary>Graph rewrites applied at load (operator fusion etc.). Default <see cref="OrtGraphOptimizationLevel.All"/>.</summary>
    public OrtGraphOptimizationLevel GraphOptimizationLevel { get; set; } = OrtGraphOptimizationLevel.All;

    internal void Validate()
    {
        if (IntraOpThreads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(IntraOpThreads), IntraOpThreads, "IntraOpThreads must be 0 (ONNX Runtime's default) or more.");
        }

        if (InterOpThreads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(InterOpThreads), InterOpThreads, "InterOpThreads must be 0 (ONNX Runtime's default) or more.");
        }

        if (!Enum.IsDefined(GraphOptimizationLevel))
        {
            throw new ArgumentOutOfRangeException(nameof(GraphOptimizationLevel), GraphOptimizationLevel, "Unknown graph optimisation level.");
        }
    }
}
