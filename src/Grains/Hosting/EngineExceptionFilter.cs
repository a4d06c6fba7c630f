using MossGrains.Engine.Persistence;
using MossGrains.Grains.Sessions;

namespace MossGrains.Grains;

/// <summary>Engine exceptions have no Orleans codec: a refused binary crosses the wire as <see cref="IndexBinaryRefusedException"/>.</summary>
internal sealed class EngineExceptionFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await context.Invoke();
        }
        catch (IndexFormatException e)
        {
            throw new IndexBinaryRefusedException(e.Message);
        }
    }
}
