using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Options;
using MossGrains.IndexStore.AzureBlob;
using MossGrains.IndexStore.Versions;

namespace MossGrains.IndexStore.Tests;

[Collection(AzuriteGroup.Name)]
public sealed class AzureBlobIndexStoreTests(AzuriteFixture azurite) : IndexStoreContract
{
    private readonly string _container = $"moss-test-{Guid.NewGuid():N}"[..40];

    private BlobContainerClient Container => new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(_container);

    protected override IIndexStore CreateStore(int keepVersions = 4) => new AzureBlobIndexStore(
        Options.Create(new AzureBlobIndexStoreOptions
        {
            ConnectionString = azurite.ConnectionString,
            ContainerName = _container,
            KeepVersions = keepVersions,
            PruneGrace = TimeSpan.Zero,
        }),
        TimeProvider.System);

    protected override async Task OverwriteVersionAsync(IIndexStore store, string key, IndexVersion version, byte[] bytes) =>
        await Container.GetBlobClient($"{key}/versions/{version.Id}.mossidx").UploadAsync(new BinaryData(bytes), overwrite: true);

    protected override async Task AppendRawLogAsync(IIndexStore store, string key, string segment, byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        await Container.GetAppendBlobClient($"{key}/wal/{segment}.log").AppendBlockAsync(stream);
    }

    protected override int CountVersions(IIndexStore store, string key) =>
        Container.GetBlobs(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, $"{key}/versions/", default).Count();

    [Fact]
    public void A_store_without_a_connection_string_is_refused_with_the_setting_named()
    {
        var error = Assert.Throws<OptionsValidationException>(() => new AzureBlobIndexStore(
            Options.Create(new AzureBlobIndexStoreOptions()), TimeProvider.System));
        Assert.Contains("ConnectionString", error.Message, StringComparison.Ordinal);
    }
}
