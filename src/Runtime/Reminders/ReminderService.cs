using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MossGrains.Runtime.Hosting;
using MossGrains.Runtime.Membership;
using MossGrains.Runtime.Metadata;
using MossGrains.Runtime.Serialization;

namespace MossGrains.Runtime.Reminders;

/// <summary>
/// Fires the durable reminders of the ring ranges this silo owns. The 32-bit grain-hash ring is
/// split by consistent hashing over the active silos (<see cref="PointsPerSilo"/> points each);
/// on every membership change the ranges are recomputed and the rows re-read, so the reminders
/// of a dead silo move to the survivors. A tick is an ordinary grain call of
/// <see cref="IRemindable.ReceiveReminder"/>, wherever the grain lives.
/// </summary>
internal sealed class ReminderService : IDisposable
{
    /// <summary>Virtual points per silo on the ring (evens out the range sizes).</summary>
    public const int PointsPerSilo = 16;

    private readonly IReminderTable table;
    private readonly IClusterMembershipView membership;
    private readonly LocalSiloDetails localSilo;
    private readonly Func<IGrainCallInvoker> invoker;
    private readonly GrainTypeRegistry registry;
    private readonly TimeProvider timeProvider;
    private readonly ReminderOptions options;
    private readonly ILogger<ReminderService> logger;
    private readonly SemaphoreSlim refreshLock = new(1, 1);
    private readonly Dictionary<(GrainId, string), ScheduledReminder> scheduled = [];
    private (uint Start, uint End)[] ownedRanges = [];
    private ITimer? refreshTimer;
    private bool stopped;

    public ReminderService(IReminderTable table, IClusterMembershipView membership, LocalSiloDetails localSilo, Func<IGrainCallInvoker> invoker, GrainTypeRegistry registry, TimeProvider timeProvider, IOptions<ReminderOptions> options, ILogger<ReminderService> logger)
    {
        this.table = table;
        this.membership = membership;
        this.localSilo = localSilo;
        this.invoker = invoker;
        this.registry = registry;
        this.timeProvider = timeProvider;
        this.options = options.Value;
        this.logger = logger;
    }

    /// <summary>Number of reminders this silo currently schedules.</summary>
    public int ScheduledCount
    {
        get
        {
            lock (scheduled)
            {
                return scheduled.Count;
            }
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await table.InitializeAsync(cancellationToken).ConfigureAwait(false);
        membership.Changed += OnMembershipChanged;
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        refreshTimer = timeProvider.CreateTimer(static s => _ = ((ReminderService)s!).RefreshSafelyAsync(), this, options.RefreshReminderListPeriod, options.RefreshReminderListPeriod);
    }

    public void Stop()
    {
        membership.Changed -= OnMembershipChanged;
        refreshTimer?.Dispose();
        lock (scheduled)
        {
            stopped = true;
            foreach (var reminder in scheduled.Values)
            {
                reminder.Dispose();
            }

            scheduled.Clear();
        }
    }

    public void Dispose()
    {
        Stop();
        refreshLock.Dispose();
    }

    /// <summary>The silo that owns <paramref name="grainId"/>'s reminders under the current membership.</summary>
    public SiloAddress? GetOwner(GrainId grainId)
    {
        var ring = BuildRing(membership.Current.ActiveSilos);
        if (ring.Length == 0)
        {
            return null;
        }

        uint hash = grainId.GetUniformHashCode();
        foreach (var (point, silo) in ring)
        {
            if (hash <= point)
            {
                return silo;
            }
        }

        return ring[0].Silo;
    }

    /// <summary>A reminder of <paramref name="grainId"/> was stored or removed: re-read it if this silo owns it.</summary>
    public async Task OnReminderChangedAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        if (!Owns(grainId.GetUniformHashCode()))
        {
            return;
        }

        var entry = await table.ReadRowAsync(grainId, reminderName, cancellationToken).ConfigureAwait(false);
        lock (scheduled)
        {
            if (entry is null)
            {
                if (scheduled.Remove((grainId, reminderName), out var removed))
                {
                    removed.Dispose();
                }
            }
            else
            {
                Schedule(entry);
            }
        }
    }

    /// <summary>Recomputes the owned ranges and schedules exactly the reminders stored in them.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await refreshLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var ranges = ComputeOwnedRanges(membership.Current.ActiveSilos, localSilo.SiloAddress);
            var rows = new List<ReminderEntry>();
            foreach (var (start, end) in ranges)
            {
                rows.AddRange(await table.ReadRowsAsync(start, end, cancellationToken).ConfigureAwait(false));
            }

            lock (scheduled)
            {
                ownedRanges = ranges;
                var keep = rows.Select(r => (r.GrainId, r.ReminderName)).ToHashSet();
                foreach (var key in scheduled.Keys.Where(k => !keep.Contains(k)).ToList())
                {
                    scheduled.Remove(key, out var removed);
                    removed!.Dispose();
                }

                foreach (var row in rows)
                {
                    Schedule(row);
                }
            }

            logger.RemindersRefreshed(ranges.Length, rows.Count);
        }
        finally
        {
            refreshLock.Release();
        }
    }

    /// <summary>
    /// The ranges (start, end] of the ring this silo owns: each silo has <see cref="PointsPerSilo"/>
    /// points; a point owns the hashes after the previous point up to itself.
    /// </summary>
    internal static (uint Start, uint End)[] ComputeOwnedRanges(IEnumerable<SiloAddress> activeSilos, SiloAddress self)
    {
        var ring = BuildRing(activeSilos);
        var ranges = new List<(uint, uint)>();
        for (int i = 0; i < ring.Length; i++)
        {
            if (ring[i].Silo == self)
            {
                uint previous = ring[(i + ring.Length - 1) % ring.Length].Point;
                ranges.Add((previous, ring[i].Point));
            }
        }

        return [.. ranges];
    }

    private static (uint Point, SiloAddress Silo)[] BuildRing(IEnumerable<SiloAddress> silos) =>
        [.. silos
            .SelectMany(s => Enumerable.Range(0, PointsPerSilo).Select(i => (Point: new GrainId("$silo", $"{s}#{i}").GetUniformHashCode(), Silo: s)))
            .OrderBy(p => p.Point)
            .ThenBy(p => p.Silo.ToString(), StringComparer.Ordinal)];

    private bool Owns(uint hash)
    {
        lock (scheduled)
        {
            return ownedRanges.Any(r => RingRange.Contains(r.Start, r.End, hash));
        }
    }

    private void OnMembershipChanged(ClusterMembershipSnapshot snapshot) => _ = RefreshSafelyAsync();

    private async Task RefreshSafelyAsync()
    {
        try
        {
            await RefreshAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger.ReminderRefreshFailed(ex);
        }
    }

    // Under the lock on scheduled.
    private void Schedule(ReminderEntry entry)
    {
        if (stopped)
        {
            return;
        }

        var key = (entry.GrainId, entry.ReminderName);
        if (scheduled.TryGetValue(key, out var existing))
        {
            if (existing.Entry.StartAt == entry.StartAt && existing.Entry.Period == entry.Period)
            {
                return;
            }

            existing.Dispose();
        }

        scheduled[key] = new ScheduledReminder(this, entry);
    }

    private void Fire(ScheduledReminder reminder, DateTimeOffset tickTime)
    {
        var entry = reminder.Entry;
        var method = registry.GetInterface(entry.GrainId.Type).ReminderMethod;
        var status = new TickStatus(entry.StartAt, entry.Period, tickTime);
        invoker().InvokeAsync(entry.GrainId, method, [entry.ReminderName, status], CancellationToken.None)
            .ContinueWith(
                static (t, s) =>
                {
                    var (self, e) = ((ReminderService, ReminderEntry))s!;
                    self.logger.ReminderFailed(t.Exception!.GetBaseException(), e.GrainId, e.ReminderName);
                },
                (this, entry),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
    }

    /// <summary>One reminder's local timer: fires at StartAt + k·Period, skipping ticks missed while nobody owned it.</summary>
    private sealed class ScheduledReminder : IDisposable
    {
        private readonly ReminderService owner;
        private readonly ITimer timer;
        private DateTimeOffset nextTick;

        public ScheduledReminder(ReminderService owner, ReminderEntry entry)
        {
            this.owner = owner;
            Entry = entry;
            var now = owner.timeProvider.GetUtcNow();
            nextTick = entry.StartAt;
            if (nextTick < now)
            {
                long missed = (now - entry.StartAt).Ticks / entry.Period.Ticks;
                nextTick = entry.StartAt + TimeSpan.FromTicks(entry.Period.Ticks * missed);
                if (nextTick < now)
                {
                    nextTick += entry.Period;
                }
            }

            timer = owner.timeProvider.CreateTimer(static s => ((ScheduledReminder)s!).OnDue(), this, Max(nextTick - now), Timeout.InfiniteTimeSpan);
        }

        public ReminderEntry Entry { get; }

        public void Dispose() => timer.Dispose();

        private static TimeSpan Max(TimeSpan delay) => delay < TimeSpan.Zero ? TimeSpan.Zero : delay;

        private void OnDue()
        {
            var tick = nextTick;
            owner.Fire(this, tick);
            var now = owner.timeProvider.GetUtcNow();
            nextTick = tick + Entry.Period;
            while (nextTick <= now)
            {
                nextTick += Entry.Period;
            }

            try
            {
                timer.Change(Max(nextTick - now), Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
                // Ownership moved while this tick ran.
            }
        }
    }
}

/// <summary>Body of the "reminder changed" notification: grain type, key and reminder name.</summary>
internal static class ReminderChangeCodec
{
    public static byte[] Write(GrainId grainId, string reminderName)
    {
        var output = new ArrayBufferWriter<byte>(64);
        var writer = new MessageWriter(output);
        writer.WriteString(grainId.Type);
        writer.WriteString(grainId.Key);
        writer.WriteString(reminderName);
        return output.WrittenSpan.ToArray();
    }

    public static (GrainId GrainId, string ReminderName) Read(byte[] body)
    {
        var reader = new MessageReader(new ReadOnlySequence<byte>(body));
        var grainId = new GrainId(reader.ReadString("the grain type"), reader.ReadString("the grain key"));
        return (grainId, reader.ReadString("the reminder name"));
    }
}
