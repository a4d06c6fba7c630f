namespace MossGrains.Cli;

/// <summary>The exit codes a script can rely on (docs/cli.md lists them; <c>moss --help</c> repeats them).</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>The server refused or failed the request (its problem detail is printed), or a job failed.</summary>
    public const int ServerError = 1;

    /// <summary>Bad command line or bad input file (named with its line): nothing was sent.</summary>
    public const int Usage = 2;

    /// <summary>No answer from the server: connection refused, unknown host, timeout.</summary>
    public const int CannotConnect = 3;

    /// <summary>401 or 403: no key, a wrong key, or another project's key.</summary>
    public const int Auth = 4;

    /// <summary>404: an unknown index, session or job.</summary>
    public const int NotFound = 5;

    /// <summary>Interrupted by Ctrl+C or SIGTERM before the work was done.</summary>
    public const int Interrupted = 130;

    public const string HelpText =
        "Exit codes: 0 ok, 1 error reported by the server (its problem detail is printed) or a failed job, " +
        "2 usage error or bad input file (nothing sent), 3 cannot connect, 4 not authorized (401/403), 5 not found (404), " +
        "130 interrupted. Messages go to stderr, results to stdout.";
}
