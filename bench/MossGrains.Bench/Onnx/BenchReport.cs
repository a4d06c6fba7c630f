using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace MossGrains.Bench.Onnx;

/// <summary>Timing samples and the machine line every benchmark prints.</summary>
internal static class BenchReport
{
    public static string Machine()
    {
        string cpu = "unknown CPU";
        if (File.Exists("/proc/cpuinfo"))
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }

        return $"{cpu}, {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }

    /// <summary>Runs <paramref name="action"/> <paramref name="iterations"/> times after <paramref name="warmup"/> runs; returns each run's milliseconds, sorted.</summary>
    public static double[] Time(int warmup, int iterations, Action action)
    {
        for (int i = 0; i < warmup; i++)
        {
            action();
        }

        var samples = new double[iterations];
        for (int i = 0; i < iterations; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(samples);
        return samples;
    }

    public static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    public static string Summary(double[] sorted, string unit = "ms", double scale = 1) =>
        string.Create(CultureInfo.InvariantCulture,
            $"p50 {Percentile(sorted, 50) * scale:F3} {unit}  p95 {Percentile(sorted, 95) * scale:F3} {unit}  p99 {Percentile(sorted, 99) * scale:F3} {unit}  (n={sorted.Length})");
}
