using System.Text.Json;
using MossGrains.Engine.Tests.Onnx;

namespace MossGrains.Engine.Tests.Tokenization;

/// <summary>
/// The transformers.js encodings of ~2,500 varied strings (eng/tools/tokenizer-fixtures.mjs, run by
/// eng/test-setup.d/31-onnx-test-assets.sh into .native/fixtures/).
/// </summary>
internal static class TokenizerFixtures
{
    private static readonly Lazy<IReadOnlyList<(string Text, int[] Ids)>> LazyCases = new(Load);

    public static IReadOnlyList<(string Text, int[] Ids)> Cases => LazyCases.Value;

    private static (string Text, int[] Ids)[] Load()
    {
        using var stream = File.OpenRead(OnnxTestAssets.TokenizerFixturesFile);
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.GetProperty("cases").EnumerateArray()
            .Select(c => (c.GetProperty("text").GetString()!, c.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray()))
            .ToArray();
    }
}
