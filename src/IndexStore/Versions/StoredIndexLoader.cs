using MossGrains.Engine.Embedding;
using MossGrains.Engine.Persistence;
using MossGrains.Engine.Session;

namespace MossGrains.IndexStore.Versions;

/// <summary>Hydrates a <see cref="SessionIndex"/> from one stored version: verified download, the model named in its header, no embedding.</summary>
public static class StoredIndexLoader
{
    /// <summary>Loads <paramref name="version"/> of <paramref name="key"/>; <paramref name="checkModel"/>, when given, sees the binary's model id first and throws to refuse it.</summary>
    public static async Task<SessionIndex> LoadAsync(
        IIndexStore store, string key, IndexVersion version, EmbedderCatalog catalog, SessionIndexOptions options,
        Action<string>? checkModel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(catalog);
        byte[] binary = await store.ReadVersionAsync(key, version, cancellationToken);
        var header = IndexBinaryHeader.Read(binary);
        checkModel?.Invoke(header.ModelId);
        var index = new SessionIndex(Grains.Naming.IndexKey.Parse(key).Name, ResolveStoredModel(catalog, key, header.ModelId), options);
        await index.LoadAsync(binary, cancellationToken);
        return index;
    }

    private static ITextEmbedder? ResolveStoredModel(EmbedderCatalog catalog, string key, string modelId)
    {
        try
        {
            return catalog.Resolve(modelId);
        }
        catch (UnknownModelException e) when (!catalog.Options.AllowFolderIds)
        {
            // A catalog that resolves names only (a silo's): a binary naming a folder or an unknown id is refused, as a corrupt one is.
            throw new Engine.Persistence.IndexFormatException(
                $"Index '{key}' was pushed with model '{e.ModelId}', which is not a model this silo offers by name. Allowed: {string.Join(", ", e.AllowedIds)}.", e);
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException)
        {
            throw new InvalidOperationException(
                $"Index '{key}' was pushed with model '{modelId}', which this process cannot load: {e.Message}", e);
        }
    }
}
