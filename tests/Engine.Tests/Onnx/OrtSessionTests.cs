using System.Diagnostics;
using MossGrains.Engine.Onnx;

namespace MossGrains.Engine.Tests.Onnx;

public sealed class OrtSessionTests
{
    private static readonly long[] Ids = [101, 7592, 2088, 102];

    [Fact]
    public void Open_ReadsInputAndOutputSignature()
    {
        using var session = OrtSession.Open(OnnxTestAssets.TinyModelFile);

        Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], session.Inputs.Select(i => i.Name));
        Assert.All(session.Inputs, i => Assert.Equal(OrtElementType.Int64, i.ElementType));
        Assert.All(session.Inputs, i => Assert.Equal([-1L, -1L], i.Shape));
        var output = Assert.Single(session.Outputs);
        Assert.Equal("last_hidden_state", output.Name);
        Assert.Equal(OrtElementType.Float, output.ElementType);
        Assert.Equal([-1L, -1L, 32L], output.Shape);
    }

    [Fact]
    public void Run_ReturnsHiddenStatesOfInputShape_AndIsDeterministic()
    {
        using var session = OrtSession.Open(OnnxTestAssets.TinyModelFile, new OrtSessionOptions { IntraOpThreads = 2 });

        var first = RunOnce(session, Ids);
        var second = RunOnce(session, Ids);

        Assert.Equal(4 * 32, first.Length);
        Assert.Equal(first, second);
        Assert.Contains(first, v => Math.Abs(v) > 0.1f);
    }

    [Fact]
    public void Run_OptimisationLevelsAgree()
    {
        using var optimised = OrtSession.Open(OnnxTestAssets.TinyModelFile, new OrtSessionOptions { GraphOptimizationLevel = OrtGraphOptimizationLevel.All });
        using var plain = OrtSession.Open(OnnxTestAssets.TinyModelFile, new OrtSessionOptions { GraphOptimizationLevel = OrtGraphOptimizationLevel.None });

        var a = RunOnce(optimised, Ids);
        var b = RunOnce(plain, Ids);

        for (int i = 0; i < a.Length; i++)
        {
            Assert.True(Math.Abs(a[i] - b[i]) < 1e-4f, $"element {i}: {a[i]} vs {b[i]}");
        }
    }

    [Fact]
    public void Run_UnknownInputName_NamesTheModelInputs()
    {
        using var session = OrtSession.Open(OnnxTestAssets.TinyModelFile);
        var shape = new long[] { 1, 4 };
        OrtInput[] inputs =
        [
            OrtInput.Int64Tensor("input_ids", (long[])Ids.Clone(), 4, shape),
            OrtInput.Int64Tensor("mask", new long[4], 4, shape),
            OrtInput.Int64Tensor("token_type_ids", new long[4], 4, shape),
        ];

        var error = Assert.Throws<ArgumentException>(() => session.Run(inputs, ["last_hidden_state"]));

        Assert.Contains("'mask'", error.Message, StringComparison.Ordinal);
        Assert.Contains("attention_mask", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WrongElementType_SurfacesOnnxRuntimeMessage()
    {
        using var session = OrtSession.Open(OnnxTestAssets.TinyModelFile);
        var shape = new long[] { 1, 4 };
        OrtInput[] inputs =
        [
            OrtInput.FloatTensor("input_ids", new float[4], 4, shape),
            OrtInput.Int64Tensor("attention_mask", new long[4], 4, shape),
            OrtInput.Int64Tensor("token_type_ids", new long[4], 4, shape),
        ];

        var error = Assert.Throws<OrtException>(() => session.Run(inputs, ["last_hidden_state"]));

        Assert.Equal(OrtErrorCode.InvalidArgument, error.ErrorCode);
        Assert.Contains("tensor(float)", error.Message, StringComparison.Ordinal);
        Assert.Contains("tensor(int64)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Input_ShapeThatDoesNotMatchLength_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => OrtInput.Int64Tensor("input_ids", new long[4], 4, [2, 3]));

        Assert.Contains("6 elements", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_CorruptModel_NamesPathAndFix()
    {
        var path = Path.Combine(Path.GetTempPath(), $"corrupt-{Guid.NewGuid():N}.onnx");
        var bytes = File.ReadAllBytes(OnnxTestAssets.TinyModelFile);
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length / 3).ToArray());
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => OrtSession.Open(path));
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Contains("Fix:", error.Message, StringComparison.Ordinal);
            Assert.IsType<OrtException>(error.InnerException);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Open_MissingModel_NamesPath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.onnx");

        var error = Assert.Throws<FileNotFoundException>(() => OrtSession.Open(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_NegativeThreads_AreRefused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => OrtSession.Open(OnnxTestAssets.TinyModelFile, new OrtSessionOptions { IntraOpThreads = -1 }));

        Assert.Equal("IntraOpThreads", error.ParamName);
    }

    internal static float[] RunOnce(OrtSession session, long[] ids)
    {
        var shape = new long[] { 1, ids.Length };
        OrtInput[] inputs =
        [
            OrtInput.Int64Tensor("input_ids", ids, ids.Length, shape),
            OrtInput.Int64Tensor("attention_mask", Enumerable.Repeat(1L, ids.Length).ToArray(), ids.Length, shape),
            OrtInput.Int64Tensor("token_type_ids", new long[ids.Length], ids.Length, shape),
        ];
        using var result = session.Run(inputs, ["last_hidden_state"]);
        Assert.Equal([1L, ids.Length, 32L], result[0].Shape);
        return result[0].GetFloats().ToArray();
    }

    internal static long CurrentRss()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }
}

/// <summary>Runs alone (no other test class in parallel), so process memory reflects this test only.</summary>
[CollectionDefinition(nameof(RunsAlone), DisableParallelization = true)]
public sealed class RunsAlone;

[Collection(nameof(RunsAlone))]
public sealed class OrtSessionLeakTests
{
    [Fact]
    public void Run_TenThousandTimes_KeepsMemoryStable()
    {
        using var session = OrtSession.Open(OnnxTestAssets.TinyModelFile);
        // 64 tokens: each run's output is 8 KiB, so leaking it would cost 80 MB over the loop.
        var ids = Enumerable.Range(1000, 64).Select(i => (long)i).ToArray();
        for (int i = 0; i < 10_000; i++)
        {
            OrtSessionTests.RunOnce(session, ids);
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        long managedBefore = GC.GetTotalMemory(forceFullCollection: true);
        long rssBefore = OrtSessionTests.CurrentRss();
        long nativeBefore = NativeHeapInUse();
        for (int i = 0; i < 10_000; i++)
        {
            OrtSessionTests.RunOnce(session, ids);
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        long managedAfter = GC.GetTotalMemory(forceFullCollection: true);
        long rssAfter = OrtSessionTests.CurrentRss();
        long nativeAfter = NativeHeapInUse();

        // The warm-up (10,000 runs) absorbed JIT tiering and ONNX Runtime's arena growth; a leaked output, input
        // tensor or pin per run would now show as tens of MB of native or managed growth.
        // malloc'd bytes in use is exact (RSS also moves with allocator fragmentation and JIT), so
        // it carries the tight bound: a leaked 8 KiB output would add 80 MB, three leaked input
        // tensor objects per run several MB.
        Assert.True(nativeAfter - nativeBefore < 2 * 1024 * 1024, $"native heap in use grew by {(nativeAfter - nativeBefore) / 1024} KiB over 10,000 runs");
        Assert.True(rssAfter - rssBefore < 16 * 1024 * 1024, $"RSS grew by {(rssAfter - rssBefore) / 1024} KiB over 10,000 runs");
        Assert.True(managedAfter - managedBefore < 1024 * 1024, $"managed heap grew by {(managedAfter - managedBefore) / 1024} KiB over 10,000 runs");
    }


    /// <summary>Bytes glibc's malloc has handed out and not had back (mallinfo2: uordblks + hblkhd).</summary>
    private static long NativeHeapInUse()
    {
        var info = MallInfo2();
        return (long)(info.InUseSmall + info.InUseMapped);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mallinfo2")]
    private static extern MallInfo MallInfo2();

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct MallInfo
    {
        public nuint Arena;
        public nuint OrdinaryBlocks;
        public nuint SmallBlocks;
        public nuint MappedBlocks;
        public nuint InUseMapped;
        public nuint Unused1;
        public nuint FreedSmall;
        public nuint InUseSmall;
        public nuint Free;
        public nuint KeepCost;
    }
}
