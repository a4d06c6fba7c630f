namespace MossGrains.Engine.Tokenization;

/// <summary>A WordPiece vocabulary: token ↔ id, looked up from spans without allocating.</summary>
public sealed class WordPieceVocabulary
{
    private readonly Dictionary<string, int> _ids;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _spanLookup;
    private readonly string[] _tokens;

    public WordPieceVocabulary(IReadOnlyDictionary<string, int> tokenIds)
    {
        ArgumentNullException.ThrowIfNull(tokenIds);
        _ids = new Dictionary<string, int>(tokenIds.Count, StringComparer.Ordinal);
        int maxId = -1;
        foreach (var (token, id) in tokenIds)
        {
            if (id < 0)
            {
                throw new ArgumentException($"Token '{token}' has negative id {id}.", nameof(tokenIds));
            }

            _ids[token] = id;
            maxId = Math.Max(maxId, id);
        }

        _tokens = new string[maxId + 1];
        foreach (var (token, id) in _ids)
        {
            _tokens[id] = token;
        }

        _spanLookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Number of distinct tokens.</summary>
    public int Count => _ids.Count;

    /// <summary>One more than the largest id: the embedding table size a model needs.</summary>
    public int IdLimit => _tokens.Length;

    public bool TryGetId(ReadOnlySpan<char> token, out int id) => _spanLookup.TryGetValue(token, out id);

    /// <summary>The token with <paramref name="id"/>, or null.</summary>
    public string? GetToken(int id) => (uint)id < (uint)_tokens.Length ? _tokens[id] : null;
}
