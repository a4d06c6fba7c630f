namespace MossGrains.Grains.Limits;

/// <summary>
/// Per-project quotas, bound from <c>Moss:Limits</c>: <see cref="Default"/> for every project, and
/// <see cref="Projects"/><c>[project]</c> overriding any of its settings for one project
/// (<c>Moss:Limits:Projects:acme:MaxSessions=50</c>). The defaults are far above what one agent workload needs, and low
/// enough that one tenant cannot fill a silo's memory or the store on its own.
/// </summary>
public sealed class MossLimitsOptions
{
    /// <summary>How long a caller refused by a quota that frees itself (sessions, jobs) is told to wait. Default 30 s.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Every project's limits unless overridden (see <see cref="ProjectLimitSettings"/> for the defaults).</summary>
    public ProjectLimitSettings Default { get; set; } = ProjectLimitSettings.Defaults();

    /// <summary>Per-project overrides by project name (case-sensitive, as project names are); unset settings come from <see cref="Default"/>.</summary>
    public Dictionary<string, ProjectLimitSettings> Projects { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The limits of <paramref name="project"/>: its own settings, else the defaults.</summary>
    public ProjectLimits For(string project)
    {
        ArgumentNullException.ThrowIfNull(project);
        var own = Projects.GetValueOrDefault(project);
        var fallback = ProjectLimitSettings.Defaults();
        return new ProjectLimits(
            project,
            own?.MaxSessions ?? Default.MaxSessions ?? fallback.MaxSessions!.Value,
            own?.MaxDocsPerSession ?? Default.MaxDocsPerSession ?? fallback.MaxDocsPerSession!.Value,
            own?.MaxIndexBytes ?? Default.MaxIndexBytes ?? fallback.MaxIndexBytes!.Value,
            own?.MaxConcurrentJobs ?? Default.MaxConcurrentJobs ?? fallback.MaxConcurrentJobs!.Value);
    }

    /// <summary>Refuses a limit below 1 or a non-positive <see cref="RetryAfter"/>, naming the setting.</summary>
    public void Validate()
    {
        if (RetryAfter <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryAfter), RetryAfter, $"{ProjectLimits.Section}:RetryAfter must be positive.");
        }

        Default.Validate($"{ProjectLimits.Section}:Default");
        foreach (var (project, settings) in Projects)
        {
            settings.Validate($"{ProjectLimits.Section}:Projects:{project}");
        }
    }
}

/// <summary>One set of limits; null = not set here (a project's override falls back to <see cref="MossLimitsOptions.Default"/>).</summary>
public sealed class ProjectLimitSettings
{
    /// <summary>Sessions in silo memory across the cluster. Default 10,000.</summary>
    public int? MaxSessions { get; set; }

    /// <summary>Live documents in one session. Default 1,000,000 (as many as one job carries).</summary>
    public int? MaxDocsPerSession { get; set; }

    /// <summary>Bytes of one index binary when it is published (push, checkpoint, job). Default 1 GiB.</summary>
    public long? MaxIndexBytes { get; set; }

    /// <summary>Mutation jobs started and not finished. Default 100.</summary>
    public int? MaxConcurrentJobs { get; set; }

    /// <summary>The shipped defaults.</summary>
    public static ProjectLimitSettings Defaults() => new()
    {
        MaxSessions = 10_000,
        MaxDocsPerSession = 1_000_000,
        MaxIndexBytes = 1L << 30,
        MaxConcurrentJobs = 100,
    };

    internal void Validate(string section)
    {
        foreach (var (name, value) in new (string, long?)[]
        {
            (nameof(MaxSessions), MaxSessions), (nameof(MaxDocsPerSession), MaxDocsPerSession),
            (nameof(MaxIndexBytes), MaxIndexBytes), (nameof(MaxConcurrentJobs), MaxConcurrentJobs),
        })
        {
            if (value is < 1)
            {
                throw new ArgumentOutOfRangeException($"{section}:{name}", value, $"{section}:{name} is {value}; a limit is at least 1.");
            }
        }
    }
}
