using System.Text.Json.Nodes;

namespace MossGrains.Cli.Input;

/// <summary>One document as the API takes it (<c>{"id", "text", "metadata"}</c>), where it came from, and its size in a request body.</summary>
public sealed record InputDocument(JsonObject Json, string Source, int Bytes)
{
    public static InputDocument Create(string id, string text, JsonObject? metadata, string source)
    {
        var json = new JsonObject { ["id"] = id, ["text"] = text };
        if (metadata is { Count: > 0 })
        {
            json["metadata"] = metadata;
        }

        return new InputDocument(json, source, System.Text.Encoding.UTF8.GetByteCount(json.ToJsonString()));
    }
}
