using System.Text.Json.Nodes;

namespace MossGrains.Http.Tests;

/// <summary>Reads schemas out of an OpenAPI 3 document: follows <c>$ref</c> (JSON pointers) and merges <c>allOf</c>/<c>oneOf</c>/<c>anyOf</c> branches (how nullable types are written).</summary>
internal sealed class OpenApiSchemas(JsonNode document)
{
    public JsonNode RequestBody(string method, string path) =>
        document["paths"]?[path]?[method]?["requestBody"]?["content"]?["application/json"]?["schema"]
        ?? throw new Xunit.Sdk.XunitException($"{method.ToUpperInvariant()} {path}: no JSON request body schema");

    /// <summary>The schema of the operation's success answer (its one 2xx).</summary>
    public JsonNode Answer(string method, string path)
    {
        var responses = document["paths"]?[path]?[method]?["responses"]?.AsObject()
            ?? throw new Xunit.Sdk.XunitException($"{method.ToUpperInvariant()} {path}: not in the document");
        return responses.Single(r => r.Key.StartsWith('2')).Value?["content"]?["application/json"]?["schema"]
            ?? throw new Xunit.Sdk.XunitException($"{method.ToUpperInvariant()} {path}: no JSON answer schema");
    }

    public IReadOnlyDictionary<string, JsonNode> Properties(JsonNode schema)
    {
        var properties = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var part in Branches(schema))
        {
            foreach (var (name, value) in part["properties"]?.AsObject() ?? [])
            {
                properties.TryAdd(name, value!);
            }
        }

        return properties;
    }

    public IReadOnlyList<string> Required(JsonNode schema) =>
        [.. Branches(schema).SelectMany(part => part["required"]?.AsArray().Select(n => (string)n!) ?? []).Distinct()];

    public IReadOnlyList<string> EnumValues(JsonNode schema) =>
        [.. Branches(schema).SelectMany(part => part["enum"]?.AsArray().Where(n => n is not null).Select(n => (string)n!) ?? [])];

    public JsonNode Items(JsonNode schema) =>
        Branches(schema).Select(part => part["items"]).FirstOrDefault(i => i is not null)
        ?? throw new Xunit.Sdk.XunitException($"not an array schema: {schema.ToJsonString()}");

    /// <summary>
    /// Requires every property name in <paramref name="value"/>, at every depth, to be one the schema declares (objects
    /// whose schema has only <c>additionalProperties</c>, such as <c>metadata</c>, hold names of the caller's choosing),
    /// and every name the schema requires to be there.
    /// </summary>
    public void AssertDescribes(JsonNode schema, JsonNode? value, string where, List<string> names)
    {
        switch (value)
        {
            case JsonObject obj:
                var properties = Properties(schema);
                bool dictionary = Branches(schema).Any(part => part["additionalProperties"] is JsonObject);
                Assert.True(properties.Count > 0 || dictionary, $"{where}: an object whose schema declares no properties: {schema.ToJsonString()}");
                foreach (string name in Required(schema))
                {
                    Assert.True(obj.ContainsKey(name), $"{where}: the schema requires '{name}', the answer has [{string.Join(", ", obj.Select(p => p.Key))}]");
                }

                foreach (var (name, child) in obj)
                {
                    if (properties.Count == 0)
                    {
                        continue;
                    }

                    Assert.True(properties.ContainsKey(name), $"{where}: the answer has '{name}', the schema only [{string.Join(", ", properties.Keys)}]");
                    names.Add(name);
                    AssertDescribes(properties[name], child, $"{where}.{name}", names);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    AssertDescribes(Items(schema), item, $"{where}[]", names);
                }

                break;
        }
    }

    /// <summary>The schema itself and every branch it is made of, each with its <c>$ref</c> followed.</summary>
    private IEnumerable<JsonNode> Branches(JsonNode schema)
    {
        var resolved = Resolve(schema);
        yield return resolved;
        foreach (string combinator in new[] { "allOf", "oneOf", "anyOf" })
        {
            foreach (var branch in resolved[combinator]?.AsArray() ?? [])
            {
                foreach (var part in Branches(branch!))
                {
                    yield return part;
                }
            }
        }
    }

    private JsonNode Resolve(JsonNode schema)
    {
        for (int depth = 0; schema["$ref"] is JsonValue reference; depth++)
        {
            Assert.True(depth < 32, "a $ref cycle");
            string pointer = (string)reference!;
            Assert.StartsWith("#/", pointer, StringComparison.Ordinal);
            JsonNode? target = document;
            foreach (string segment in pointer[2..].Split('/'))
            {
                target = target?[segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
            }

            schema = target ?? throw new Xunit.Sdk.XunitException($"{pointer} resolves to nothing");
        }

        return schema;
    }
}
