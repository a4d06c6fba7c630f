using MossGrains.Engine.Persistence;
using MossGrains.Grains.Sessions;

namespace MossGrains.Client.Sessions;

/// <summary>Gives cluster callers the engine's exception types, as embedded callers get them.</summary>
internal static class Refusals
{
    public static async Task<T> Translate<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (IndexBinaryRefusedException e)
        {
            throw new IndexFormatException(e.Message, e);
        }
    }
}
