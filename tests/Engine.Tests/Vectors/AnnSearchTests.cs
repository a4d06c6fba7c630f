using System.Numerics.Tensors;
using MossGrains.Engine.Filtering;
using MossGrains.Engine.Session;
using MossGrains.Engine.Tests.TestDoubles;

namespace MossGrains.Engine.Tests.Vectors;

public class AnnSearchTests
{
    private const int Dimensions = 32;

    private static async Task<(SessionIndex Index, float[][] Vectors)> CustomIndex(int count, int annThreshold)
    {
        var vectors = TestCorpus.ClusteredVectors(count, Dimensions, clusters: 40, noise: 0.6f, seed: 11);
        var index = new SessionIndex("ann", embedder: null, new SessionIndexOptions { AnnThreshold = annThreshold });
        for (int start = 0; start < count; start += 1000)
        {
            await index.AddDocsAsync(Enumerable.Range(start, Math.Min(1000, count - start)).Select(i => new DocumentInfo(
                $"d{i}",
                $"doc {i}",
                new Dictionary<string, string> { ["rare"] = $"{i % 50}", ["half"] = $"{i % 2}" },
                vectors[i])));
        }

        await index.CompleteBackgroundIndexingAsync();
        Assert.Equal(count > annThreshold ? count : 0, index.LinkedDocCount);
        return (index, vectors);
    }

    private static string[] BruteForce(float[][] vectors, float[] query, int k, Func<int, bool> accept)
    {
        float queryNorm = TensorPrimitives.Norm(query);
        return [.. Enumerable.Range(0, vectors.Length).Where(accept)
            .Select(i => (Id: $"d{i}", Score: TensorPrimitives.Dot(vectors[i], query) / (TensorPrimitives.Norm(vectors[i]) * queryNorm)))
            .OrderByDescending(x => x.Score).Take(k).Select(x => x.Id)];
    }

    [Fact]
    public async Task Hnsw_recall_at_10_against_exact_search_is_at_least_0_98()
    {
        var (index, vectors) = await CustomIndex(4_000, annThreshold: 1_000);
        var queries = TestCorpus.ClusteredVectors(50, Dimensions, clusters: 40, noise: 0.6f, seed: 11 + 1000);
        int hits = 0;
        foreach (var query in queries)
        {
            var expected = BruteForce(vectors, query, 10, _ => true);
            var found = (await index.QueryAsync("q", new QueryOptions { Alpha = 1, TopK = 10, Embedding = query })).Docs.Select(d => d.Id);
            hits += expected.Intersect(found).Count();
        }

        Assert.True(hits / (50.0 * 10) >= 0.98, $"recall@10 = {hits / 500.0:F3}");
    }

    [Fact]
    public async Task Filtered_query_returns_the_true_top_k_among_matching_documents()
    {
        var (index, vectors) = await CustomIndex(4_000, annThreshold: 500);
        var queries = TestCorpus.GaussianVectors(20, Dimensions, seed: 99);
        int broadHits = 0;
        foreach (var query in queries)
        {
            // Selective (80 matches ≤ threshold): exact over the matching set, so exactly the true top 10.
            var rare = await index.QueryAsync("q", new QueryOptions { Alpha = 1, TopK = 10, Embedding = query, Filter = Filter.Field("rare").Eq("7") });
            Assert.Equal(BruteForce(vectors, query, 10, i => i % 50 == 7), rare.Docs.Select(d => d.Id));

            // Broad (2,000 matches): filtered HNSW, which still returns k matching documents, not a post-filtered remainder.
            var half = await index.QueryAsync("q", new QueryOptions { Alpha = 1, TopK = 10, Embedding = query, Filter = Filter.Field("half").Eq("1") });
            Assert.Equal(10, half.Docs.Count);
            Assert.All(half.Docs, d => Assert.Equal("1", d.Metadata!["half"]));
            broadHits += BruteForce(vectors, query, 10, i => i % 2 == 1).Intersect(half.Docs.Select(d => d.Id)).Count();
        }

        Assert.True(broadHits / 200.0 >= 0.98, $"filtered recall@10 = {broadHits / 200.0:F3}");
    }

    [Fact]
    public async Task Deleted_documents_are_never_returned_by_the_graph()
    {
        var (index, vectors) = await CustomIndex(2_000, annThreshold: 100);
        var query = vectors[42];
        var before = await index.QueryAsync("q", new QueryOptions { Alpha = 1, TopK = 5, Embedding = query });
        Assert.Equal("d42", before.Docs[0].Id);
        await index.DeleteDocsAsync(before.Docs.Select(d => d.Id));
        var after = await index.QueryAsync("q", new QueryOptions { Alpha = 1, TopK = 5, Embedding = query });
        Assert.Equal(5, after.Docs.Count);
        Assert.Empty(after.Docs.Select(d => d.Id).Intersect(before.Docs.Select(d => d.Id)));
    }

    [Fact]
    public async Task Graph_full_of_deleted_nodes_still_returns_k_live_documents()
    {
        var (index, vectors) = await CustomIndex(2_000, annThreshold: 20);
        await index.DeleteDocsAsync(Enumerable.Range(0, 1_970).Select(i => $"d{i}"));
        foreach (var query in vectors.Take(5))
        {
            var result = await index.QueryAsync("q", new QueryOptions { Alpha = 1, TopK = 10, Embedding = query });
            Assert.Equal(BruteForce(vectors, query, 10, i => i >= 1_970).Order(), result.Docs.Select(d => d.Id).Order());
        }
    }
}
