using Microsoft.Extensions.Logging;
using MossGrains.Runtime.Hosting;

namespace MossGrains.Runtime.Membership;

/// <summary>
/// This silo's side of the membership protocol (the Orleans MembershipTableManager + cluster health
/// monitor, on an <see cref="IMembershipTable"/>):
/// <list type="bullet">
/// <item>join: insert the own row as Joining, then update it to Active — each a compare-and-swap on the table version, retried on conflict; older incarnations on the same endpoint are declared dead;</item>
/// <item>write IAmAlive periodically; read the table periodically and on notification, publishing <see cref="IClusterMembershipView"/>;</item>
/// <item>probe every other Active silo; after <see cref="MembershipOptions.NumMissedProbesLimit"/> consecutive misses, add a suspect vote, and write Dead when the fresh votes reach the required number;</item>
/// <item>declare dead Joining/ShuttingDown rows whose IAmAlive is stale (crashed mid-join or mid-leave);</item>
/// <item>complete <see cref="DeclaredDead"/> when the own row is found Dead; leave gracefully as ShuttingDown then Dead.</item>
/// </list>
/// </summary>
public sealed partial class MembershipService : IClusterMembershipView, ISiloMembership, IAsyncDisposable
{
    private const int MaxWriteAttempts = 20;

    private readonly IMembershipTable _table;
    private readonly IMembershipProbeClient _probes;
    private readonly Func<SiloAddress> _localAddress;
    private readonly string _siloName;
    private readonly TimeProvider _time;
    private readonly MembershipOptions _options;
    private readonly ILogger<MembershipService> _logger;
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private readonly Lock _publishGate = new();
    private readonly SemaphoreSlim _refreshRequested = new(0, 1);
    private readonly Dictionary<SiloAddress, int> _missedProbes = [];
    private readonly TaskCompletionSource _declaredDead = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private ClusterMembershipSnapshot _current = new(0, new Dictionary<SiloAddress, SiloStatus>());
    private SiloAddress? _self;
    private volatile bool _leaving;
    private volatile SiloStatus _localStatus;
    private DateTimeOffset _lastCleanup;

    public MembershipService(
        IMembershipTable table,
        IMembershipProbeClient probes,
        Func<SiloAddress> localAddress,
        string siloName,
        MembershipOptions options,
        TimeProvider timeProvider,
        ILogger<MembershipService> logger)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(probes);
        ArgumentNullException.ThrowIfNull(localAddress);
        ArgumentNullException.ThrowIfNull(siloName);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _table = table;
        _probes = probes;
        _localAddress = localAddress;
        _siloName = siloName;
        _options = options;
        _time = timeProvider;
        _logger = logger;
    }

    public ClusterMembershipSnapshot Current => Volatile.Read(ref _current);

    public event Action<ClusterMembershipSnapshot>? Changed;

    public Task DeclaredDead => _declaredDead.Task;

    /// <summary>This silo's status as last written by itself (None before joining).</summary>
    public SiloStatus LocalStatus => _localStatus;

    private SiloAddress Self => _self ?? throw new InvalidOperationException("The silo has not joined the cluster yet.");

    /// <summary>
    /// Joins the cluster: Joining, then Active, then starts IAmAlive, table refresh and probing.
    /// On return this silo is Active and <see cref="Current"/> includes it.
    /// </summary>
    public async Task JoinAsync(CancellationToken cancellationToken)
    {
        if (_self is not null)
        {
            throw new InvalidOperationException("JoinAsync may be called once.");
        }

        _self = _localAddress();
        await _table.InitializeAsync(cancellationToken);
        var now = _time.GetUtcNow();
        var entry = new MembershipEntry(Self, _siloName, SiloStatus.Joining, now, now, []);
        for (int attempt = 1; ; attempt++)
        {
            var data = await _table.ReadAllAsync(cancellationToken);
            if (data.Rows.Any(r => r.Entry.Silo == Self))
            {
                throw new InvalidOperationException($"Silo {Self} is already in the membership table; each start needs a new generation.");
            }

            if (await _table.InsertRowAsync(entry, data.Version.Next(), cancellationToken))
            {
                break;
            }

            LogWriteConflict(_logger, "insert Joining row of", Self, attempt);
        }

        _localStatus = SiloStatus.Joining;
        LogStatusWritten(_logger, Self, SiloStatus.Joining);
        _loops.Add(RunLoopAsync(_options.IAmAlivePeriod, WriteIAmAliveAsync));
        await DeclareOlderIncarnationsDeadAsync(cancellationToken);
        await WriteOwnStatusAsync(SiloStatus.Active, cancellationToken);
        await RefreshAsync(cancellationToken);
        _loops.Add(RunRefreshLoopAsync());
        _loops.Add(RunLoopAsync(_options.ProbePeriod, ProbeOthersAsync));
        await NotifyOthersAsync(null, cancellationToken);
    }

    /// <summary>Marks this silo ShuttingDown: it stops answering probes and gets no new placements.</summary>
    public async Task BeginLeaveAsync(CancellationToken cancellationToken)
    {
        _leaving = true;
        if (_localStatus is SiloStatus.Joining or SiloStatus.Active && !_declaredDead.Task.IsCompleted)
        {
            await WriteOwnStatusAsync(SiloStatus.ShuttingDown, cancellationToken);
            await RefreshAsync(cancellationToken);
            await NotifyOthersAsync(null, cancellationToken);
        }
    }

    /// <summary>Leaves the cluster cleanly: ShuttingDown (if not yet), then Dead (the row is kept), then stops all loops.</summary>
    public async Task LeaveAsync(CancellationToken cancellationToken)
    {
        await BeginLeaveAsync(cancellationToken);
        await StopLoopsAsync();
        if (_localStatus == SiloStatus.ShuttingDown && !_declaredDead.Task.IsCompleted)
        {
            await WriteOwnStatusAsync(SiloStatus.Dead, cancellationToken);
            await NotifyOthersAsync(null, cancellationToken);
        }
    }

    /// <summary>Reads the table now and publishes the result (also reacts to this silo being declared dead).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _refreshGate.WaitAsync(cancellationToken);
        try
        {
            var data = await _table.ReadAllAsync(cancellationToken);
            Publish(data);
            if (_self is not null && !_leaving && _localStatus != SiloStatus.None)
            {
                var own = data.Rows.FirstOrDefault(r => r.Entry.Silo == _self);
                if (own is null || own.Entry.Status == SiloStatus.Dead)
                {
                    OnDeclaredDead();
                    return;
                }
            }

            await DeclareStaleSilosDeadAsync(data, cancellationToken);
            await CleanupDefunctRowsAsync(cancellationToken);
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    /// <summary>Asks for a table read soon, without waiting (a peer said the table changed).</summary>
    public void RequestRefresh()
    {
        try
        {
            _refreshRequested.Release();
        }
        catch (SemaphoreFullException)
        {
            // A refresh is already pending.
        }
        catch (ObjectDisposedException)
        {
            // The service has stopped; the endpoint may outlive it briefly.
        }
    }

    /// <summary>Whether this silo answers a probe for <paramref name="generation"/>: only while Active and not declared dead.</summary>
    public bool AnswersProbe(long generation) =>
        _self is not null && _self.Generation == generation && _localStatus == SiloStatus.Active && !_declaredDead.Task.IsCompleted;

    /// <summary>Stops all loops without writing anything (an abrupt stop, as if the process died).</summary>
    public async ValueTask DisposeAsync()
    {
        await StopLoopsAsync();
        _stopping.Dispose();
        _refreshGate.Dispose();
        _refreshRequested.Dispose();
    }

    private async Task StopLoopsAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
        }

        await Task.WhenAll(_loops);
    }

    private void OnDeclaredDead()
    {
        if (_declaredDead.TrySetResult())
        {
            LogDeclaredDead(_logger, Self);
            _ = _stopping.CancelAsync();
        }
    }

    /// <summary>Publishes a newer table read; versions only grow, so an older read that finishes late is ignored.</summary>
    private void Publish(MembershipTableData data)
    {
        ClusterMembershipSnapshot snapshot;
        lock (_publishGate)
        {
            if (data.Version.Version <= Current.Version)
            {
                return;
            }

            snapshot = new ClusterMembershipSnapshot(data.Version.Version, data.Rows.ToDictionary(r => r.Entry.Silo, r => r.Entry.Status));
            Volatile.Write(ref _current, snapshot);
        }

        LogViewChanged(_logger, snapshot);
        try
        {
            Changed?.Invoke(snapshot);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogLoopFailed(_logger, ex, "a Changed handler");
        }
    }

    private async Task WriteOwnStatusAsync(SiloStatus status, CancellationToken cancellationToken)
    {
        for (int attempt = 1; attempt <= MaxWriteAttempts; attempt++)
        {
            var data = await _table.ReadAllAsync(cancellationToken);
            var own = data.Rows.FirstOrDefault(r => r.Entry.Silo == Self);
            if (own is null || own.Entry.Status == SiloStatus.Dead)
            {
                OnDeclaredDead();
                throw new InvalidOperationException($"Silo {Self} was declared dead by the cluster before it could become {status}.");
            }

            var updated = own.Entry with { Status = status, IAmAliveTime = _time.GetUtcNow() };
            if (await _table.UpdateRowAsync(updated, own.ETag, data.Version.Next(), cancellationToken))
            {
                _localStatus = status;
                LogStatusWritten(_logger, Self, status);
                return;
            }

            LogWriteConflict(_logger, "write own status of", Self, attempt);
        }

        throw new InvalidOperationException($"Silo {Self} could not write its status {status}: {MaxWriteAttempts} conflicting writes in a row.");
    }

    private async Task DeclareOlderIncarnationsDeadAsync(CancellationToken cancellationToken)
    {
        var data = await _table.ReadAllAsync(cancellationToken);
        foreach (var row in data.Rows.Where(r =>
            r.Entry.Silo.Host == Self.Host && r.Entry.Silo.Port == Self.Port && r.Entry.Silo.Generation < Self.Generation && r.Entry.Status != SiloStatus.Dead))
        {
            await TryDeclareDeadAsync(row.Entry.Silo, "an older incarnation on the same endpoint", cancellationToken);
        }
    }

    private async Task WriteIAmAliveAsync(CancellationToken cancellationToken) =>
        await _table.UpdateIAmAliveAsync(Self, _time.GetUtcNow(), cancellationToken);

    private async Task RunRefreshLoopAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                // Wake on the period or when a peer says the table changed, whichever comes first.
                using var period = new CancellationTokenSource(_options.TableRefreshPeriod, _time);
                using var periodOrStop = CancellationTokenSource.CreateLinkedTokenSource(token, period.Token);
                try
                {
                    await _refreshRequested.WaitAsync(periodOrStop.Token);
                }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                }

                await RefreshAsync(token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogLoopFailed(_logger, ex, "table refresh");
            }
        }
    }

    private async Task RunLoopAsync(TimeSpan period, Func<CancellationToken, Task> step)
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, _time, token);
                await step(token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogLoopFailed(_logger, ex, step.Method.Name);
            }
        }
    }

    private async Task ProbeOthersAsync(CancellationToken cancellationToken)
    {
        if (_localStatus != SiloStatus.Active)
        {
            return;
        }

        var targets = Current.ActiveSilos.Where(s => s != Self).ToList();
        var results = await Task.WhenAll(targets.Select(t => _probes.ProbeAsync(t, _options.ProbeTimeout, cancellationToken)));
        var suspects = new List<SiloAddress>();
        lock (_missedProbes)
        {
            foreach (var gone in _missedProbes.Keys.Except(targets).ToList())
            {
                _missedProbes.Remove(gone);
            }

            for (int i = 0; i < targets.Count; i++)
            {
                int missed = results[i] ? 0 : _missedProbes.GetValueOrDefault(targets[i]) + 1;
                _missedProbes[targets[i]] = missed;
                if (missed > 0)
                {
                    LogProbeMissed(_logger, targets[i], missed);
                }

                if (missed >= _options.NumMissedProbesLimit)
                {
                    suspects.Add(targets[i]);
                }
            }
        }

        foreach (var suspect in suspects)
        {
            await TrySuspectAsync(suspect, cancellationToken);
        }
    }

    /// <summary>Adds this silo's vote against <paramref name="suspect"/>, writing Dead when the fresh votes suffice.</summary>
    private async Task TrySuspectAsync(SiloAddress suspect, CancellationToken cancellationToken)
    {
        for (int attempt = 1; attempt <= MaxWriteAttempts; attempt++)
        {
            var data = await _table.ReadAllAsync(cancellationToken);
            var row = data.Rows.FirstOrDefault(r => r.Entry.Silo == suspect);
            var own = data.Rows.FirstOrDefault(r => r.Entry.Silo == Self);
            if (row is null || row.Entry.Status != SiloStatus.Active || own?.Entry.Status != SiloStatus.Active)
            {
                break;
            }

            var now = _time.GetUtcNow();
            var votes = row.Entry.SuspectTimes
                .Where(v => v.Suspector != Self && now - v.Time < _options.DeathVoteExpiration)
                .Append(new SuspectVote(Self, now))
                .ToList();
            int required = RequiredVotes(data, row.Entry, now);
            bool kill = votes.Count >= required;
            var updated = row.Entry with { SuspectTimes = votes, Status = kill ? SiloStatus.Dead : row.Entry.Status };
            if (await _table.UpdateRowAsync(updated, row.ETag, data.Version.Next(), cancellationToken))
            {
                if (kill)
                {
                    LogDeclaredOtherDead(_logger, suspect, votes.Count, "missed probes");
                    await NotifyOthersAsync(suspect, cancellationToken);
                }
                else
                {
                    LogVoted(_logger, suspect, votes.Count, required);
                }

                break;
            }

            LogWriteConflict(_logger, "vote against", suspect, attempt);
        }

        await RefreshAsync(cancellationToken);
    }

    private int RequiredVotes(MembershipTableData data, MembershipEntry suspect, DateTimeOffset now)
    {
        if (now - suspect.IAmAliveTime > _options.IAmAliveStaleAge)
        {
            return 1;
        }

        int active = data.Rows.Count(r => r.Entry.Status == SiloStatus.Active);
        return Math.Max(1, Math.Min(_options.NumVotesForDeathDeclaration, (active + 1) / 2));
    }

    private async Task DeclareStaleSilosDeadAsync(MembershipTableData data, CancellationToken cancellationToken)
    {
        if (_localStatus != SiloStatus.Active)
        {
            return;
        }

        var now = _time.GetUtcNow();
        foreach (var row in data.Rows.Where(r =>
            r.Entry.Status is SiloStatus.Joining or SiloStatus.ShuttingDown
            && r.Entry.Silo != Self
            && now - r.Entry.IAmAliveTime > _options.IAmAliveStaleAge))
        {
            await TryDeclareDeadAsync(row.Entry.Silo, "stale IAmAlive while not active", cancellationToken);
        }
    }

    private async Task TryDeclareDeadAsync(SiloAddress silo, string reason, CancellationToken cancellationToken)
    {
        for (int attempt = 1; attempt <= MaxWriteAttempts; attempt++)
        {
            var data = await _table.ReadAllAsync(cancellationToken);
            var row = data.Rows.FirstOrDefault(r => r.Entry.Silo == silo);
            if (row is null || row.Entry.Status == SiloStatus.Dead)
            {
                return;
            }

            if (await _table.UpdateRowAsync(row.Entry with { Status = SiloStatus.Dead }, row.ETag, data.Version.Next(), cancellationToken))
            {
                LogDeclaredOtherDead(_logger, silo, 0, reason);
                Publish(await _table.ReadAllAsync(cancellationToken));
                await NotifyOthersAsync(silo, cancellationToken);
                return;
            }

            LogWriteConflict(_logger, "declare dead", silo, attempt);
        }
    }

    private async Task CleanupDefunctRowsAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_localStatus != SiloStatus.Active || now - _lastCleanup < _options.DefunctSiloCleanupPeriod)
        {
            return;
        }

        _lastCleanup = now;
        await _table.CleanupDefunctSiloEntriesAsync(now - _options.DefunctSiloExpiration, cancellationToken);
    }

    /// <summary>Tells the other live silos to re-read the table now, so they learn of a change before their next timed read.</summary>
    private async Task NotifyOthersAsync(SiloAddress? except, CancellationToken cancellationToken)
    {
        var targets = Current.Members
            .Where(m => m.Value is SiloStatus.Active or SiloStatus.Joining or SiloStatus.ShuttingDown && m.Key != _self && m.Key != except)
            .Select(m => m.Key);
        await Task.WhenAll(targets.Select(t => _probes.NotifyTableChangedAsync(t, _options.ProbeTimeout, cancellationToken)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Silo} wrote its status {Status}.")]
    private static partial void LogStatusWritten(ILogger logger, SiloAddress silo, SiloStatus status);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Membership write '{Operation} {Silo}' lost a compare-and-swap (attempt {Attempt}); retrying.")]
    private static partial void LogWriteConflict(ILogger logger, string operation, SiloAddress silo, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Membership view changed: {View}.")]
    private static partial void LogViewChanged(ILogger logger, ClusterMembershipSnapshot view);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Probe of {Silo} missed ({Missed} in a row).")]
    private static partial void LogProbeMissed(ILogger logger, SiloAddress silo, int missed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Voted {Silo} suspect: {Votes} of {Required} votes.")]
    private static partial void LogVoted(ILogger logger, SiloAddress silo, int votes, int required);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Declared {Silo} dead ({Votes} votes, reason: {Reason}).")]
    private static partial void LogDeclaredOtherDead(ILogger logger, SiloAddress silo, int votes, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Silo {Silo} found itself declared dead by the cluster.")]
    private static partial void LogDeclaredDead(ILogger logger, SiloAddress silo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Membership {Loop} failed; it will run again.")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception, string loop);
}
