using System.Text.Json;

namespace MossGrains.Engine.Tokenization;

/// <summary>
/// Reads a BERT WordPiece tokenizer from Hugging Face files: <c>tokenizer.json</c> (the fast
/// tokenizer's full description) or, when that is all there is, <c>vocab.txt</c> with the
/// settings of <c>tokenizer_config.json</c>.
/// </summary>
public static class BertTokenizerLoader
{
    private const string UnsupportedFix = "Fix: use a BERT-family (WordPiece) model's tokenizer.json as exported by Hugging Face, or only its vocab.txt + tokenizer_config.json (see docs/onnx.md).";

    /// <summary>Loads <c>tokenizer.json</c> from <paramref name="directory"/>, else <c>vocab.txt</c>.</summary>
    public static BertTokenizer FromDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var json = Path.Combine(directory, "tokenizer.json");
        if (File.Exists(json))
        {
            return FromTokenizerJson(json);
        }

        var vocab = Path.Combine(directory, "vocab.txt");
        if (File.Exists(vocab))
        {
            return FromVocabFile(vocab, ReadTokenizerConfig(Path.Combine(directory, "tokenizer_config.json")));
        }

        throw new FileNotFoundException(
            $"No tokenizer in '{directory}': neither tokenizer.json nor vocab.txt exists. Fix: copy the tokenizer files that came with the model into that folder.",
            json);
    }

    /// <summary>Loads a Hugging Face <c>tokenizer.json</c> with a WordPiece model and BERT normaliser/pre-tokeniser.</summary>
    public static BertTokenizer FromTokenizerJson(string path)
    {
        using var document = ParseJson(path);
        var root = document.RootElement;
        try
        {
            var model = Required(root, "model", path);
            var modelType = model.TryGetProperty("type", out var t) ? t.GetString() : "WordPiece";
            if (modelType != "WordPiece")
            {
                throw new NotSupportedException($"'{path}' describes a {modelType} model; only WordPiece (BERT-family) tokenizers are supported. {UnsupportedFix}");
            }

            var options = new BertTokenizerOptions();
            if (model.TryGetProperty("unk_token", out var unk) && unk.ValueKind == JsonValueKind.String)
            {
                options.UnknownToken = unk.GetString()!;
            }

            if (model.TryGetProperty("continuing_subword_prefix", out var prefix) && prefix.ValueKind == JsonValueKind.String)
            {
                options.ContinuingSubwordPrefix = prefix.GetString()!;
            }

            if (model.TryGetProperty("max_input_chars_per_word", out var maxChars) && maxChars.ValueKind == JsonValueKind.Number)
            {
                options.MaxInputCharsPerWord = maxChars.GetInt32();
            }

            ReadNormalizer(root, options, path);
            RequireBertPreTokenizer(root, path);
            ReadSpecialTokens(root, options, path);

            var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var entry in Required(model, "vocab", path).EnumerateObject())
            {
                vocab[entry.Name] = entry.Value.GetInt32();
            }

            var added = new List<AddedToken>();
            if (root.TryGetProperty("added_tokens", out var addedTokens) && addedTokens.ValueKind == JsonValueKind.Array)
            {
                foreach (var token in addedTokens.EnumerateArray())
                {
                    var content = token.GetProperty("content").GetString()!;
                    int id = token.GetProperty("id").GetInt32();
                    bool special = Flag(token, "special", false);
                    if (Flag(token, "normalized", !special))
                    {
                        throw new NotSupportedException($"'{path}': added token '{content}' is matched after normalisation, which this tokenizer does not support. {UnsupportedFix}");
                    }

                    vocab.TryAdd(content, id);
                    added.Add(new AddedToken(content, id, special, Flag(token, "lstrip", false), Flag(token, "rstrip", false)));
                }
            }

            return new BertTokenizer(new WordPieceVocabulary(vocab), options, added, path);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"'{path}' is not a valid tokenizer.json: {e.Message} Fix: use the tokenizer.json that came with the model.", e);
        }
    }

    /// <summary>
    /// Loads a one-token-per-line <c>vocab.txt</c>. The special tokens present in it are matched
    /// verbatim in input text, as Hugging Face's conversion to tokenizer.json sets them up.
    /// </summary>
    public static BertTokenizer FromVocabFile(string path, BertTokenizerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Vocabulary file '{path}' does not exist. Fix: copy vocab.txt (or tokenizer.json) from the model into that folder.", path);
        }

        return FromVocabLines(File.ReadLines(path), options, path);
    }

    /// <summary>
    /// Builds a tokenizer from the lines of a <c>vocab.txt</c> (token id = line number), e.g. one read from a
    /// package's resource; <paramref name="source"/> names it in messages.
    /// </summary>
    public static BertTokenizer FromVocabLines(IEnumerable<string> lines, BertTokenizerOptions? options, string source)
    {
        ArgumentNullException.ThrowIfNull(lines);
        options ??= new BertTokenizerOptions();
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        int id = 0;
        foreach (var line in lines)
        {
            vocab.TryAdd(line.TrimEnd('\r'), id++);
        }

        if (vocab.Count == 0)
        {
            throw new InvalidDataException($"Vocabulary file '{source}' is empty. Fix: use the vocab.txt that came with the model.");
        }

        var added = new[] { options.PaddingToken, options.UnknownToken, options.ClassifierToken, options.SeparatorToken, "[MASK]" }
            .Where(vocab.ContainsKey)
            .Distinct()
            .Select(token => new AddedToken(token, vocab[token], Special: true));
        return new BertTokenizer(new WordPieceVocabulary(vocab), options, added, source);
    }

    private static BertTokenizerOptions? ReadTokenizerConfig(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var document = ParseJson(path);
        var root = document.RootElement;
        var options = new BertTokenizerOptions();
        if (root.TryGetProperty("do_lower_case", out var lower) && lower.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            options.Lowercase = lower.GetBoolean();
        }

        if (root.TryGetProperty("strip_accents", out var strip) && strip.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            options.StripAccents = strip.GetBoolean();
        }

        if (root.TryGetProperty("tokenize_chinese_chars", out var chinese) && chinese.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            options.HandleChineseChars = chinese.GetBoolean();
        }

        options.UnknownToken = StringOr(root, "unk_token", options.UnknownToken);
        options.ClassifierToken = StringOr(root, "cls_token", options.ClassifierToken);
        options.SeparatorToken = StringOr(root, "sep_token", options.SeparatorToken);
        options.PaddingToken = StringOr(root, "pad_token", options.PaddingToken);
        return options;
    }

    private static void ReadNormalizer(JsonElement root, BertTokenizerOptions options, string path)
    {
        if (!root.TryGetProperty("normalizer", out var normalizer) || normalizer.ValueKind == JsonValueKind.Null)
        {
            options.Lowercase = false;
            options.StripAccents = false;
            options.HandleChineseChars = false;
            options.CleanText = false;
            return;
        }

        var type = normalizer.GetProperty("type").GetString();
        if (type != "BertNormalizer")
        {
            throw new NotSupportedException($"'{path}' uses a {type} normaliser; only BertNormalizer is supported. {UnsupportedFix}");
        }

        options.CleanText = Flag(normalizer, "clean_text", true);
        options.HandleChineseChars = Flag(normalizer, "handle_chinese_chars", true);
        options.Lowercase = Flag(normalizer, "lowercase", true);
        options.StripAccents = normalizer.TryGetProperty("strip_accents", out var strip) && strip.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? strip.GetBoolean()
            : null;
    }

    private static void RequireBertPreTokenizer(JsonElement root, string path)
    {
        if (root.TryGetProperty("pre_tokenizer", out var pre) && pre.ValueKind == JsonValueKind.Object
            && pre.GetProperty("type").GetString() is var type && type != "BertPreTokenizer")
        {
            throw new NotSupportedException($"'{path}' uses a {type} pre-tokeniser; only BertPreTokenizer is supported. {UnsupportedFix}");
        }
    }

    /// <summary>Takes [CLS]/[SEP] from the post-processor: BertProcessing's cls/sep, or TemplateProcessing's tokens around $A.</summary>
    private static void ReadSpecialTokens(JsonElement root, BertTokenizerOptions options, string path)
    {
        if (!root.TryGetProperty("post_processor", out var post) || post.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        switch (post.GetProperty("type").GetString())
        {
            case "BertProcessing":
                options.ClassifierToken = post.GetProperty("cls")[0].GetString()!;
                options.SeparatorToken = post.GetProperty("sep")[0].GetString()!;
                break;
            case "TemplateProcessing":
                var single = post.GetProperty("single").EnumerateArray().ToArray();
                int sequence = Array.FindIndex(single, p => p.TryGetProperty("Sequence", out _));
                if (sequence == 1 && single.Length == 3)
                {
                    options.ClassifierToken = single[0].GetProperty("SpecialToken").GetProperty("id").GetString()!;
                    options.SeparatorToken = single[2].GetProperty("SpecialToken").GetProperty("id").GetString()!;
                }
                else
                {
                    throw new NotSupportedException(
                        $"'{path}': the post-processor's single-sequence template has {single.Length} pieces with the sequence at position {sequence}; only [CLS] $A [SEP] is supported. {UnsupportedFix}");
                }

                break;
        }
    }

    private static JsonDocument ParseJson(string path) =>
        ModelJsonFile.Read(path, required: true, "Fix: copy the tokenizer files that came with the model into that folder.")!;

    private static JsonElement Required(JsonElement element, string name, string path) =>
        element.TryGetProperty(name, out var value) ? value : throw new InvalidDataException($"'{path}' has no \"{name}\". Fix: use the tokenizer.json that came with the model.");

    private static bool Flag(JsonElement element, string name, bool fallback) =>
        element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : fallback;

    private static string StringOr(JsonElement element, string name, string fallback) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : fallback;
}
