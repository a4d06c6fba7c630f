using System.Globalization;
using MossGrains.Runtime.Membership;

namespace MossGrains.Runtime.Providers.InMemory;

/// <summary>
/// Membership table for a single process (<c>UseLocalhostClustering</c>): the same compare-and-swap
/// rules as the PostgreSQL table, under one lock. Share one instance between the silos of a process.
/// </summary>
public sealed class InMemoryMembershipTable : IMembershipTable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<SiloAddress, (MembershipEntry Entry, int ETag)> _rows = [];
    private int _version;

    public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var rows = _rows.Values
                .Select(row => new MembershipRow(row.Entry, Format(row.ETag)))
                .ToList();
            return Task.FromResult(new MembershipTableData(rows, new TableVersion(_version, Format(_version))));
        }
    }

    public Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(version);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (version.ETag != Format(_version) || _rows.ContainsKey(entry.Silo))
            {
                return Task.FromResult(false);
            }

            _rows[entry.Silo] = (entry, 0);
            _version++;
            return Task.FromResult(true);
        }
    }

    public Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(version);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (version.ETag != Format(_version) || !_rows.TryGetValue(entry.Silo, out var row) || Format(row.ETag) != etag)
            {
                return Task.FromResult(false);
            }

            _rows[entry.Silo] = (entry, row.ETag + 1);
            _version++;
            return Task.FromResult(true);
        }
    }

    public Task UpdateIAmAliveAsync(SiloAddress silo, DateTimeOffset iAmAliveTime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(silo);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_rows.TryGetValue(silo, out var row))
            {
                _rows[silo] = (row.Entry with { IAmAliveTime = iAmAliveTime }, row.ETag);
            }
        }

        return Task.CompletedTask;
    }

    public Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            foreach (var silo in _rows.Where(r => r.Value.Entry.Status == SiloStatus.Dead && r.Value.Entry.IAmAliveTime < beforeDate).Select(r => r.Key).ToList())
            {
                _rows.Remove(silo);
            }
        }

        return Task.CompletedTask;
    }

    public Task DeleteClusterAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _rows.Clear();
            _version = 0;
        }

        return Task.CompletedTask;
    }

    private static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);
}
