using MossGrains.Engine.Session;
using MossGrains.Engine.Tests.TestDoubles;

namespace MossGrains.Engine.Tests.Snapshots;

/// <summary>
/// Random upserts and deletes in small batches (so id-map and keyword segments merge many times) checked after
/// every step against a plain dictionary model, and again after a save/load round trip.
/// </summary>
public class RandomizedWriteModelTests
{
    private static readonly string[] SomeIds = ["id1", "id2", "id3"];
    private static readonly string[] Words = ["amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "heath"];

    [Fact]
    public async Task Index_matches_a_dictionary_model_through_many_merges()
    {
        var random = new Random(2024);
        var model = new Dictionary<string, string>();
        var index = new SessionIndex("model", new HashedBagOfWordsEmbedder(), new SessionIndexOptions { AnnThreshold = 150 });
        for (int step = 0; step < 400; step++)
        {
            if (random.Next(4) == 0)
            {
                var victims = Enumerable.Range(0, random.Next(1, 6)).Select(_ => $"id{random.Next(300)}").ToList();
                int expected = victims.Distinct().Count(model.ContainsKey);
                Assert.Equal(expected, await index.DeleteDocsAsync(victims));
                victims.ForEach(v => model.Remove(v));
            }
            else
            {
                var batch = Enumerable.Range(0, random.Next(1, 8)).Select(_ => $"id{random.Next(300)}").Distinct()
                    .Select(id => new DocumentInfo(id, $"{Words[random.Next(Words.Length)]} {Words[random.Next(Words.Length)]} step{step}"))
                    .ToList();
                int updates = batch.Count(d => model.ContainsKey(d.Id));
                Assert.Equal((batch.Count - updates, updates), await index.AddDocsAsync(batch));
                batch.ForEach(d => model[d.Id] = d.Text);
            }

            Assert.Equal(model.Count, index.DocCount);
            if (step % 25 == 0)
            {
                await AssertMatches(index, model);
            }
        }

        await AssertMatches(index, model);
        using var stream = new MemoryStream();
        await index.SaveAsync(stream);
        var loaded = new SessionIndex("model", new HashedBagOfWordsEmbedder(), new SessionIndexOptions { AnnThreshold = 150 });
        await loaded.LoadAsync(new MemoryStream(stream.ToArray()));
        await AssertMatches(loaded, model);
    }

    private static async Task AssertMatches(SessionIndex index, Dictionary<string, string> model)
    {
        var docs = await index.GetDocsAsync();
        Assert.Equal(model.OrderBy(kv => kv.Key), docs.Select(d => new KeyValuePair<string, string>(d.Id, d.Text)).OrderBy(kv => kv.Key));
        var some = await index.GetDocsAsync(new GetDocumentsOptions { DocIds = SomeIds });
        Assert.Equal(SomeIds.Where(model.ContainsKey), some.Select(d => d.Id));
        foreach (var word in Words.Take(3))
        {
            var hits = await index.QueryAsync(word, new QueryOptions { Alpha = 0, TopK = 1000 });
            var expected = model.Where(kv => kv.Value.Split(' ').Contains(word)).Select(kv => kv.Key).Order();
            Assert.Equal(expected, hits.Docs.Select(d => d.Id).Order());
        }
    }
}
