using Microsoft.Extensions.AI;

namespace MossGrains.Engine.Embedding;

/// <summary>
/// Implements the Microsoft.Extensions.AI surface of <see cref="ITextEmbedder"/> over the
/// synchronous <see cref="Embed"/>; concrete embedders only supply <see cref="Info"/> and <see cref="Embed"/>.
/// </summary>
public abstract class TextEmbedderBase : ITextEmbedder
{
    private EmbeddingGeneratorMetadata? _metadata;

    public abstract EmbedderInfo Info { get; }

    public abstract void Embed(ReadOnlySpan<string> texts, Span<float> destination, EmbeddingPurpose purpose, CancellationToken cancellationToken = default);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values as string[] ?? values.ToArray();
        int dims = Info.Dimensions;
        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Length);
        var buffer = new float[Math.Min(texts.Length, Math.Max(1, Info.MaxBatchSize)) * dims];
        for (int start = 0; start < texts.Length; start += Math.Max(1, Info.MaxBatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(Math.Max(1, Info.MaxBatchSize), texts.Length - start);
            Embed(texts.AsSpan(start, count), buffer.AsSpan(0, count * dims), EmbeddingPurpose.Document, cancellationToken);
            for (int i = 0; i < count; i++)
            {
                result.Add(new Embedding<float>(buffer.AsSpan(i * dims, dims).ToArray()) { ModelId = Info.ModelId });
            }
        }

        return Task.FromResult(result);
    }

    public virtual object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            return _metadata ??= new EmbeddingGeneratorMetadata("MossGrains", null, Info.ModelId, Info.Dimensions);
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
