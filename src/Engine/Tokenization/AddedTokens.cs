namespace MossGrains.Engine.Tokenization;

/// <summary>A token matched verbatim in the input before normalisation (tokenizer.json <c>added_tokens</c>), e.g. <c>[CLS]</c> or <c>[MASK]</c>.</summary>
/// <param name="Content">The literal text.</param>
/// <param name="Id">Its id.</param>
/// <param name="Special">Whether it is a special token.</param>
/// <param name="LeftStrip">Whitespace before it is dropped.</param>
/// <param name="RightStrip">Whitespace after it is dropped.</param>
public sealed record AddedToken(string Content, int Id, bool Special, bool LeftStrip = false, bool RightStrip = false);

/// <summary>
/// Splits text on added tokens: scanning left to right, at each position the longest added token
/// starting there is cut out (the reference's dictionary splitter does the same).
/// </summary>
internal sealed class AddedTokenSplitter
{
    private readonly AddedToken[] _tokens;
    private readonly string _firstChars;

    public AddedTokenSplitter(IEnumerable<AddedToken> tokens)
    {
        _tokens = tokens.Where(t => t.Content.Length > 0).OrderByDescending(t => t.Content.Length).ToArray();
        _firstChars = new string(_tokens.Select(t => t.Content[0]).Distinct().ToArray());
    }

    public bool IsEmpty => _tokens.Length == 0;

    /// <summary>The longest added token starting at <paramref name="index"/>, or null.</summary>
    public AddedToken? MatchAt(ReadOnlySpan<char> text, int index)
    {
        if (_firstChars.Contains(text[index], StringComparison.Ordinal))
        {
            var rest = text[index..];
            foreach (var token in _tokens)
            {
                if (rest.StartsWith(token.Content, StringComparison.Ordinal))
                {
                    return token;
                }
            }
        }

        return null;
    }
}
