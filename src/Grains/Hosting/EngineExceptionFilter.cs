using MossGrains.Engine.Embedding;
using MossGrains.Engine.Persistence;
using MossGrains.Grains.Sessions;

namespace MossGrains.Grains;

/// <summary>Engine exceptions have no Orleans codec: a refused binary crosses the wire as <see cref="IndexBinaryRefusedException"/>, an unknown model id as an <see cref="ArgumentException"/>.</summary>
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
        catch (UnknownModelException e)
        {
            // The field and the allowed ids travel in an exception Orleans knows.
            throw new ArgumentException(e.Message, e.ParamName);
        }
    }
}
