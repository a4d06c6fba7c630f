using System.Text.Json;

namespace MossGrains.Engine.Tokenization;

/// <summary>Reads the JSON files of a model folder; a missing or malformed file is reported with its path and <c>fix</c>.</summary>
internal static class ModelJsonFile
{
    /// <summary>The parsed file; null when it is absent and not <paramref name="required"/>.</summary>
    public static JsonDocument? Read(string path, bool required, string fix)
    {
        if (!File.Exists(path))
        {
            return required ? throw new FileNotFoundException($"'{path}' does not exist. {fix}", path) : null;
        }

        try
        {
            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not valid JSON ({e.Message}). {fix}", e);
        }
    }
}
