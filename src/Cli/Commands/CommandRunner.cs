using MossGrains.Cli.Api;
using MossGrains.Cli.Input;
using MossGrains.Cli.Output;

namespace MossGrains.Cli.Commands;

/// <summary>Runs a command's work and turns each kind of failure into its message (standard error) and exit code.</summary>
public static class CommandRunner
{
    public static async Task<int> RunAsync(Func<CancellationToken, Task<int>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            return await work(cancellationToken);
        }
        catch (MossApiException e)
        {
            Terminal.Fail(e.Message);
            return e.ExitCode;
        }
        catch (InputException e)
        {
            Terminal.Fail(e.Message + " (nothing was sent)");
            return ExitCodes.Usage;
        }
        catch (UsageException e)
        {
            Terminal.Fail(e.Message);
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Terminal.Message("interrupted");
            return ExitCodes.Interrupted;
        }
    }
}
