using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MossGrains.Silo.Http;

/// <summary>
/// The API leaves null fields out of its answers (<see cref="HttpJson"/>), so a property that can be null is never
/// required: the generator marks every constructor parameter of a record required, which a client validating an answer
/// with <c>latest_version</c> left out would reject.
/// </summary>
internal sealed class OmittedNullsTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (schema.Required is { Count: > 0 } required && schema.Properties is { } properties)
        {
            foreach (var (name, property) in properties)
            {
                if (CanBeNull(property))
                {
                    required.Remove(name);
                }
            }
        }

        return Task.CompletedTask;
    }

    private static bool CanBeNull(IOpenApiSchema property) =>
        property.Type is { } type && type.HasFlag(JsonSchemaType.Null)
        || (property.OneOf ?? []).Concat(property.AnyOf ?? []).Any(branch => branch.Type == JsonSchemaType.Null);
}
