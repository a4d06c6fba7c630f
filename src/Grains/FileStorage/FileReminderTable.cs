using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MossGrains.Grains.FileStorage;

/// <summary>
/// Orleans' reminder table in a local folder, for a single node: one file per grain with reminders, replaced atomically
/// (<see cref="AtomicFile"/>) on every change, all read once when the silo starts. Rows carry ETags as Orleans expects
/// (a removal with a stale ETag removes nothing). Several silos must not share one folder.
/// </summary>
public sealed partial class FileReminderTable(IOptions<FileReminderTableOptions> options, ILogger<FileReminderTable> logger) : IReminderTable, IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<GrainId, Dictionary<string, ReminderEntry>> _table = [];

    private string Root => options.Value.RootDirectory;

    public void Dispose() => _lock.Dispose();

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Root);
        await _lock.WaitAsync(cancellationToken);
        try
        {
            _table.Clear();
            foreach (string path in Directory.EnumerateFiles(Root))
            {
                if (AtomicFile.IsTemporary(path))
                {
                    File.Delete(path); // a write a crash interrupted before its rename: the file it was replacing still holds the rows
                    continue;
                }

                var record = await AtomicFile.ReadAsync(path, cancellationToken);
                var rows = record is null ? [] : JsonSerializer.Deserialize<StoredReminder[]>(record.Payload.Span) ?? [];
                foreach (var row in rows)
                {
                    var entry = row.ToEntry();
                    Rows(entry.GrainId)[entry.ReminderName] = entry;
                }
            }

            LogLoaded(logger, _table.Sum(t => t.Value.Count), Root);
        }
        finally
        {
            _lock.Release();
        }
    }

    public Task<ReminderTableData> ReadRows(GrainId grainId) => UnderLockAsync(() =>
        _table.TryGetValue(grainId, out var rows) ? new ReminderTableData(rows.Values.Select(Copy)) : new ReminderTableData());

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => UnderLockAsync(() =>
    {
        var range = RangeFactory.CreateRange(begin, end);
        return new ReminderTableData(_table.Where(t => range.InRange(t.Key)).SelectMany(t => t.Value.Values).Select(Copy));
    });

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => UnderLockAsync(() =>
        _table.TryGetValue(grainId, out var rows) && rows.TryGetValue(reminderName, out var entry) ? Copy(entry) : null);

    public async Task<string?> UpsertRow(ReminderEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await _lock.WaitAsync();
        try
        {
            var rows = Rows(entry.GrainId);
            var stored = Copy(entry);
            stored.ETag = Guid.NewGuid().ToString("N");
            rows.TryGetValue(entry.ReminderName, out var previous);
            rows[entry.ReminderName] = stored;
            try
            {
                await SaveAsync(entry.GrainId, rows);
            }
            catch
            {
                Restore(entry.GrainId, entry.ReminderName, previous);
                throw;
            }

            return stored.ETag;
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        await _lock.WaitAsync();
        try
        {
            if (!_table.TryGetValue(grainId, out var rows) || !rows.TryGetValue(reminderName, out var entry) || entry.ETag != eTag)
            {
                return false;
            }

            rows.Remove(reminderName);
            try
            {
                await SaveAsync(grainId, rows);
            }
            catch
            {
                Restore(grainId, reminderName, entry);
                throw;
            }

            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task TestOnlyClearTable()
    {
        await _lock.WaitAsync();
        try
        {
            foreach (var grainId in _table.Keys.ToList())
            {
                _table[grainId].Clear();
                await SaveAsync(grainId, _table[grainId]);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    private Dictionary<string, ReminderEntry> Rows(GrainId grainId)
    {
        if (!_table.TryGetValue(grainId, out var rows))
        {
            _table[grainId] = rows = new Dictionary<string, ReminderEntry>(StringComparer.Ordinal);
        }

        return rows;
    }

    private void Restore(GrainId grainId, string reminderName, ReminderEntry? previous)
    {
        var rows = Rows(grainId);
        if (previous is null)
        {
            rows.Remove(reminderName);
        }
        else
        {
            rows[reminderName] = previous;
        }
    }

    private async Task SaveAsync(GrainId grainId, Dictionary<string, ReminderEntry> rows)
    {
        string path = Path.Combine(Root, FileNames.For(grainId.ToString()));
        if (rows.Count == 0)
        {
            AtomicFile.Delete(path);
            _table.Remove(grainId);
            return;
        }

        byte[] payload = JsonSerializer.SerializeToUtf8Bytes(rows.Values.Select(StoredReminder.From).ToArray());
        await AtomicFile.WriteAsync(path, "", payload, CancellationToken.None);
    }

    private async Task<T> UnderLockAsync<T>(Func<T> read)
    {
        await _lock.WaitAsync();
        try
        {
            return read();
        }
        finally
        {
            _lock.Release();
        }
    }

    // The table hands out copies: Orleans keeps the entries it reads, and a later upsert must not change them.
    private static ReminderEntry Copy(ReminderEntry e) => new()
    {
        GrainId = e.GrainId,
        ReminderName = e.ReminderName,
        StartAt = e.StartAt,
        Period = e.Period,
        ETag = e.ETag,
    };

    /// <summary>A reminder row as the file holds it.</summary>
    private sealed record StoredReminder(string GrainId, string Name, DateTime StartAt, TimeSpan Period, string? ETag)
    {
        public static StoredReminder From(ReminderEntry e) => new(e.GrainId.ToString(), e.ReminderName, e.StartAt, e.Period, e.ETag);

        public ReminderEntry ToEntry() => new()
        {
            GrainId = Orleans.Runtime.GrainId.Parse(GrainId),
            ReminderName = Name,
            StartAt = StartAt,
            Period = Period,
            ETag = ETag,
        };
    }

    [LoggerMessage(1, LogLevel.Information, "Reminder table: {Count} reminders read from {Root}")]
    private static partial void LogLoaded(ILogger logger, int count, string root);
}
