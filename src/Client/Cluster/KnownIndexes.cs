using System.Collections.Concurrent;
using MossGrains.Grains.Indexes;
using MossGrains.Grains.Naming;

namespace MossGrains.Client.Cluster;

/// <summary>
/// Refuses index names that were never published before any of their grains is called, so that a request naming
/// unknown indexes activates nothing for them. Names seen published are remembered (a published index stays published),
/// so a query of a known index costs nothing here; the others are checked by the cluster's <see cref="IIndexDirectoryGrain"/>.
/// </summary>
internal sealed class KnownIndexes(IGrainFactory grains)
{
    /// <summary>Unknown names listed in one refusal; the rest are counted.</summary>
    private const int NamesShown = 10;

    private readonly ConcurrentDictionary<string, byte> _published = new(StringComparer.Ordinal);

    /// <summary>Throws <see cref="IndexNotFoundException"/> naming every name of <paramref name="names"/> that has no published version in <paramref name="project"/>.</summary>
    public async Task EnsurePublishedAsync(string project, IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        var unpublished = await UnpublishedAsync(project, names, cancellationToken);
        if (unpublished.Count > 0)
        {
            var shown = unpublished.Take(NamesShown).Select(name => $"'{name}'");
            string more = unpublished.Count > NamesShown ? $" and {unpublished.Count - NamesShown} more" : "";
            bool one = unpublished.Count == 1;
            throw new IndexNotFoundException(
                $"{(one ? "Index" : "Indexes")} {string.Join(", ", shown)}{more} {(one ? "has" : "have")} no published version in project '{project}': push, or submit an add-docs job, first.");
        }
    }

    /// <summary>The names of <paramref name="names"/> that have no published version in <paramref name="project"/>.</summary>
    public async Task<IReadOnlyList<string>> UnpublishedAsync(string project, IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        var unseen = names.Select(name => IndexKey.For(project, name)).Where(key => !_published.ContainsKey(key)).ToList();
        if (unseen.Count == 0)
        {
            return [];
        }

        var unpublished = await grains.GetGrain<IIndexDirectoryGrain>(IIndexDirectoryGrain.Key).UnpublishedAsync(unseen, cancellationToken);
        foreach (string key in unseen.Except(unpublished, StringComparer.Ordinal))
        {
            _published.TryAdd(key, 0);
        }

        return [.. unpublished.Select(key => IndexKey.Parse(key).Name)];
    }
}
