using MossGrains.Cli.Output;
using Spectre.Console;

namespace MossGrains.Cli.Indexing;

/// <summary>
/// Shows an indexing run's progress on standard error: a live Spectre bar on a terminal, otherwise a line at each
/// change of phase and every tenth of the documents (readable in a log).
/// </summary>
public static class IndexProgress
{
    public static async Task<T> ShowAsync<T>(string index, Func<Indexer.ProgressHandler, Task<T>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!Terminal.ErrorIsInteractive)
        {
            return await run(LineProgress(index));
        }

        T result = default!;
        await new Progress(Terminal.Error)
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"indexing {Markup.Escape(index)}");
                result = await run((processed, total, status, phase) =>
                {
                    task.MaxValue = Math.Max(total, 1);
                    task.Value = processed;
                    task.Description = $"{Markup.Escape(index)}: {processed:N0}/{total:N0} {Markup.Escape(phase ?? status)}";
                });
            });
        return result;
    }

    private static Indexer.ProgressHandler LineProgress(string index)
    {
        string lastStep = string.Empty;
        int lastTenth = -1;
        return (processed, total, status, phase) =>
        {
            string step = phase ?? status;
            int tenth = total == 0 ? 10 : processed * 10 / total;
            if (step != lastStep || tenth != lastTenth)
            {
                lastStep = step;
                lastTenth = tenth;
                Terminal.Message($"indexing {index}: {processed:N0}/{total:N0} {step}");
            }
        };
    }
}
