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

    /// <summary>
    /// Whether idle intra-/inter-op pool threads spin waiting for work (ONNX Runtime's default) instead of
    /// sleeping. Spinning shaves wake-up latency on an idle machine but burns a core per pool thread, which
    /// other sessions and the rest of the process need on a busy one. Only matters with more than one
    /// thread. Default null: ONNX Runtime's default (spin). Needs ONNX Runtime 1.5 or later when set.
    /// </summary>
    public bool? AllowThreadSpinning { get; set; }

    /// <summary>
    /// Extra ONNX Runtime session configuration entries (keys of <c>onnxruntime_session_options_config_keys.h</c>,
    /// e.g. <c>session.set_denormal_as_zero</c> = <c>1</c>), applied after the settings above. Default empty.
    /// Needs ONNX Runtime 1.5 or later when not empty.
    /// </summary>
    public IDictionary<string, string> ConfigEntries { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Every configuration entry to apply: <see cref="AllowThreadSpinning"/>'s, then <see cref="ConfigEntries"/>.</summary>
    internal IEnumerable<KeyValuePair<string, string>> AllConfigEntries()
    {
        if (AllowThreadSpinning is bool spin)
        {
            string value = spin ? "1" : "0";
            yield return new("session.intra_op.allow_spinning", value);
            yield return new("session.inter_op.allow_spinning", value);
        }

        foreach (var entry in ConfigEntries)
        {
            yield return entry;
        }
    }

    internal void Validate()
    {
        foreach (var (key, value) in ConfigEntries)
        {
            if (string.IsNullOrWhiteSpace(key) || value is null)
            {
                throw new ArgumentException($"ConfigEntries: every entry needs a non-empty key and a value; got key '{key}' with value {(value is null ? "null" : $"'{value}'")}.", nameof(ConfigEntries));
            }
        }

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
