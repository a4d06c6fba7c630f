namespace MossGrains.Engine.Embedding.StaticVectors;

/// <summary>Turns text into row ids of a static vector matrix, in chunks, without allocating.</summary>
public interface IStaticTokenizer
{
    /// <summary>
    /// Writes the ids of the tokens starting at <paramref name="position"/> into <paramref name="ids"/>
    /// and advances <paramref name="position"/> past the tokens written; returns how many ids were
    /// written. The caller repeats until <paramref name="position"/> reaches the end of the text.
    /// Unknown tokens produce no id. <paramref name="ids"/> must hold at least <see cref="MinimumBuffer"/> ids.
    /// </summary>
    int Tokenize(ReadOnlySpan<char> text, ref int position, Span<int> ids);

    /// <summary>The smallest id buffer <see cref="Tokenize"/> always makes progress with.</summary>
    int MinimumBuffer { get; }
}
