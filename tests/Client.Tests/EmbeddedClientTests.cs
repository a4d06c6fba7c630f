using Microsoft.Extensions.DependencyInjection;
using MossGrains.Client.Embedded;
using MossGrains.Client.Sessions;
using MossGrains.Engine.Filtering;
using MossGrains.Engine.Session;
using MossGrains.Grains.Sessions;
using MossGrains.Testing;

namespace MossGrains.Client.Tests;

/// <summary>Embedded mode: the session API in-process over a local folder, with the shipped default model.</summary>
public sealed class EmbeddedClientTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("moss-embedded-").FullName;
    private readonly (Engine.Embedding.EmbedderCatalog Catalog, CountingEmbedder Counter) _model = CountingEmbedder.DefaultModelCatalog();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private IMossClient NewClient(SessionDurability durability = SessionDurability.Ephemeral) => MossClient.CreateEmbedded(new EmbeddedMossOptions
    {
        IndexFolder = _folder,
        Catalog = _model.Catalog,
        Sessions = new() { DefaultDurability = durability },
    });

    private static DocumentInfo[] Docs(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new DocumentInfo($"d{i}", $"note {i}: refunds take {i} days", new Dictionary<string, string> { ["day"] = $"{i}" }))];

    [Fact]
    public async Task A_pushed_embedded_session_resumes_in_a_new_client_without_embedding()
    {
        await using (var client = NewClient())
        {
            var session = await client.SessionAsync("call-1");
            Assert.Equal((8, 0), await session.AddDocsAsync(Docs(8)));
            var push = await session.PushIndexAsync();
            Assert.Equal(1, push.Sequence);
            Assert.Equal(8, push.DocCount);
        }

        int calls = _model.Counter.Calls;
        await using var again = NewClient();
        var resumed = await again.SessionAsync("call-1");
        Assert.Equal(calls, _model.Counter.Calls);
        Assert.Equal(8, await resumed.GetDocCountAsync());
        var hits = await resumed.QueryAsync("refunds", new QueryOptions { TopK = 8, Filter = Filter.Field("day").Gte(6) });
        Assert.Equal(["d6", "d7"], hits.Docs.Select(d => d.Id).Order());
    }

    [Fact]
    public async Task Checkpoint_sessions_are_pushed_when_the_client_is_disposed_and_ephemeral_ones_are_not()
    {
        await using (var client = NewClient())
        {
            await (await client.SessionAsync("kept", new SessionOptions { Durability = SessionDurability.Checkpoint })).AddDocsAsync(Docs(3));
            await (await client.SessionAsync("dropped")).AddDocsAsync(Docs(3));
        }

        await using var again = NewClient();
        Assert.Equal(3, await (await again.SessionAsync("kept")).GetDocCountAsync());
        Assert.Equal(0, await (await again.SessionAsync("dropped")).GetDocCountAsync());
    }

    [Fact]
    public async Task The_same_name_in_one_client_is_the_same_session_and_bad_names_are_refused()
    {
        await using var client = NewClient();
        var a = await client.SessionAsync("shared");
        await a.AddDocsAsync(Docs(2));
        var b = await client.SessionAsync("shared");
        Assert.Equal(2, await b.GetDocCountAsync());
        Assert.Equal("default/shared", b.Key);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.SessionAsync("../escape"));
        Assert.Equal("name", error.ParamName);
    }

    [Fact]
    public async Task AddMossEmbedded_registers_a_working_client()
    {
        var services = new ServiceCollection().AddMossEmbedded(o =>
        {
            o.IndexFolder = _folder;
            o.Catalog = _model.Catalog;
        });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IMossClient>();
        var session = await client.SessionAsync("di");
        await session.AddDocsAsync(Docs(1));
        Assert.Equal(SessionDurability.Ephemeral, (await session.GetInfoAsync()).Durability);
    }
}
