using System.Diagnostics;
using MossGrains.Client.Cluster;
using MossGrains.Client.Indexes;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Session;
using MossGrains.Grains.Indexes;
using MossGrains.Grains.Naming;
using MossGrains.IndexStore.Versions;

namespace MossGrains.Grains.Tests;

/// <summary>No request activates grains for names that do not exist, and a multi-index query names a bounded number of indexes.</summary>
public sealed class BoundedFanOutTests(SessionClusterFixture fixture) : IClassFixture<SessionClusterFixture>
{
    private static readonly Type[] IndexGrainTypes = [typeof(IIndexGrain), typeof(IIndexReaderGrain)];

    private static string NewName() => $"f-{Guid.NewGuid():N}";

    private static string[] Unknown(int count) => [.. Enumerable.Range(0, count).Select(_ => NewName())];

    [Fact]
    public async Task A_query_naming_more_indexes_than_the_limit_is_refused_before_any_grain_is_called()
    {
        var before = await ActivationsAsync(IndexGrainTypes);
        var clock = Stopwatch.StartNew();

        var over = await Assert.ThrowsAsync<ArgumentException>(() =>
            fixture.Moss.QueryIndexesAsync(Unknown(MossClusterClientOptions.DefaultMaxIndexesPerQuery + 1), "refunds"));
        var huge = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Moss.QueryIndexesAsync(Unknown(10_000), "refunds"));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"refusing took {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal("names", over.ParamName);
        Assert.Contains("33 indexes; at most 32", over.Message, StringComparison.Ordinal);
        Assert.Contains("10000 indexes; at most 32", huge.Message, StringComparison.Ordinal);
        Assert.Equal(before, await ActivationsAsync(IndexGrainTypes));
    }

    [Fact]
    public async Task Duplicated_names_count_once()
    {
        string name = await PublishAndLoadAsync();
        var names = Enumerable.Repeat(name, 100).ToArray();

        var result = await fixture.Moss.QueryIndexesAsync(names, "refunds", new QueryOptions { TopK = 3 });

        Assert.Equal(3, result.Docs.Count);
        Assert.Equal([name], result.Versions.Keys);
    }

    [Fact]
    public async Task Unknown_names_are_not_found_naming_them_without_activating_a_grain_for_them()
    {
        var unknown = Unknown(MossClusterClientOptions.DefaultMaxIndexesPerQuery);
        var before = await ActivationsAsync(IndexGrainTypes);
        var clock = Stopwatch.StartNew();

        var many = await Assert.ThrowsAsync<IndexNotFoundException>(() => fixture.Moss.QueryIndexesAsync(unknown, "refunds"));
        await Assert.ThrowsAsync<IndexNotFoundException>(() => fixture.Moss.QueryIndexAsync(unknown[0], "refunds"));
        await Assert.ThrowsAsync<IndexNotFoundException>(() => fixture.Moss.GetIndexInfoAsync(unknown[1]));
        await Assert.ThrowsAsync<IndexNotFoundException>(() => fixture.Moss.LoadIndexAsync(unknown[2]));
        await fixture.Moss.UnloadIndexAsync(unknown[3]); // nothing to unload: done, without a grain

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"answering took {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Contains($"'{unknown[0]}'", many.Message, StringComparison.Ordinal);
        Assert.Contains("and 22 more", many.Message, StringComparison.Ordinal);
        Assert.Equal(before, await ActivationsAsync(IndexGrainTypes));
    }

    [Fact]
    public async Task A_mix_of_known_and_unknown_names_is_not_found_naming_only_the_unknown_while_the_known_still_answer()
    {
        string faq = await PublishAndLoadAsync(), catalog = await PublishAndLoadAsync();
        string missing = NewName(), alsoMissing = NewName();
        await fixture.Moss.QueryIndexesAsync([faq, catalog], "refunds"); // the known ones' grains are active from here on
        var before = await ActivationsAsync(IndexGrainTypes);
        Assert.True(before >= 2, $"the management grain counts {before} index activations; the two loaded indexes' at least");

        var error = await Assert.ThrowsAsync<IndexNotFoundException>(() => fixture.Moss.QueryIndexesAsync([faq, missing, catalog, alsoMissing], "refunds"));

        Assert.Contains($"'{missing}', '{alsoMissing}'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(faq, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(catalog, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await ActivationsAsync(IndexGrainTypes));
        var answered = await fixture.Moss.QueryIndexesAsync([faq, catalog], "refunds", new QueryOptions { TopK = 4 });
        Assert.Equal(4, answered.Docs.Count);
    }

    [Fact]
    public async Task A_published_index_that_is_not_loaded_keeps_no_grain_after_a_query()
    {
        string name = NewName();
        await PublishAsync(name);
        var before = await ActivationsAsync(IndexGrainTypes);

        await Assert.ThrowsAsync<IndexNotFoundException>(() => fixture.Moss.QueryIndexAsync(name, "refunds"));

        await WaitUntilAsync(async () => await ActivationsAsync(IndexGrainTypes) <= before, "the index and reader grains of an unloaded index stayed active");
    }

    [Fact]
    public async Task The_status_of_a_job_that_does_not_exist_keeps_no_grain()
    {
        var before = await ActivationsAsync([typeof(Jobs.IJobGrain)]);

        foreach (var _ in Enumerable.Range(0, 20))
        {
            await Assert.ThrowsAsync<KeyNotFoundException>(() => fixture.Moss.GetJobStatusAsync(Guid.NewGuid().ToString("N")));
        }

        await WaitUntilAsync(async () => await ActivationsAsync([typeof(Jobs.IJobGrain)]) <= before, "unknown job ids left job grains active");
    }

    [Fact]
    public async Task A_session_named_with_a_folder_over_the_wire_is_refused_listing_the_model_names()
    {
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            fixture.Moss.SessionAsync(NewName(), new Client.Sessions.SessionOptions { ModelId = "onnx:/etc" }));

        Assert.Contains(EmbedderCatalog.DefaultAlias, error.Message, StringComparison.Ordinal);
        Assert.Contains(EmbedderCatalog.CustomModelId, error.Message, StringComparison.Ordinal);
    }

    private async Task<string> PublishAndLoadAsync()
    {
        string name = NewName();
        await PublishAsync(name);
        await fixture.Moss.LoadIndexAsync(name, new LoadIndexOptions { AutoRefresh = false });
        return name;
    }

    private async Task<IndexVersion> PublishAsync(string name)
    {
        var index = new SessionIndex(name, fixture.Catalog.Resolve(EmbedderCatalog.DefaultAlias));
        await index.AddDocsAsync(Enumerable.Range(0, 4).Select(i => new DocumentInfo($"{name}-d{i}", $"answer {i} about refunds and returns")));
        using var buffer = new MemoryStream();
        await index.SaveAsync(buffer);
        return await fixture.Store.PublishAsync(IndexKey.For(IndexKey.DefaultProject, name), buffer.ToArray(), PublishPrecondition.None, default);
    }

    /// <summary>Activations of the grain types of <paramref name="interfaces"/> on every silo, as Orleans' management grain lists them.</summary>
    private async Task<int> ActivationsAsync(Type[] interfaces)
    {
        var management = fixture.Client.GetGrain<IManagementGrain>(0);
        int count = 0;
        foreach (var type in interfaces)
        {
            var grainType = ((IAddressable)fixture.Client.GetGrain(type, "any/any")).GetGrainId().Type;
            count += (await management.GetActiveGrains(grainType)).Count;
        }

        return count;
    }

    /// <summary>Deactivation on idle completes after the call that asked for it, with no event to await: polls the management grain.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), failure);
            await Task.Delay(50);
        }
    }
}
