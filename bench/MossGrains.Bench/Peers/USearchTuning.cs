using System.Reflection;
using System.Runtime.InteropServices;
using Cloud.Unum.USearch;

namespace MossGrains.Bench.Peers;

/// <summary>
/// Two calls of USearch's own C library that its managed wrapper (Cloud.Unum.USearch 2.26.6) does not expose:
/// changing the search expansion of a built index (the wrapper only takes it at construction, so a sweep would
/// rebuild 100K nodes per value) and the index's own memory count. The native handle is the wrapper's private
/// <c>_index</c> field; the library is the package's <c>libusearch_c</c>, the one the wrapper loads.
/// </summary>
internal static partial class USearchTuning
{
    private const string Library = "libusearch_c";

    private static readonly FieldInfo HandleField = typeof(USearchIndex).GetField("_index", BindingFlags.NonPublic | BindingFlags.Instance)
        ?? throw new InvalidOperationException("Cloud.Unum.USearch.USearchIndex has no private _index field: this bench was written against 2.26.6.");

    public static void SetExpansionSearch(USearchIndex index, int expansion)
    {
        ChangeExpansionSearch(Handle(index), (nuint)expansion, out var error);
        ThrowIfError(error);
    }

    public static long MemoryUsage(USearchIndex index)
    {
        nuint bytes = NativeMemoryUsage(Handle(index), out var error);
        ThrowIfError(error);
        return (long)bytes;
    }

    private static nint Handle(USearchIndex index) => (nint)HandleField.GetValue(index)!;

    private static void ThrowIfError(nint error)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"USearch: {Marshal.PtrToStringAnsi(error)}");
        }
    }

    [LibraryImport(Library, EntryPoint = "usearch_change_expansion_search")]
    private static partial void ChangeExpansionSearch(nint index, nuint expansion, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_memory_usage")]
    private static partial nuint NativeMemoryUsage(nint index, out nint error);
}
