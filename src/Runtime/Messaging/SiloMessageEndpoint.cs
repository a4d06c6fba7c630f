using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using MossGrains.Runtime.Reminders;
using MossGrains.Runtime.Serialization;

namespace MossGrains.Runtime.Messaging;

/// <summary>
/// The silo side of remote calls: decodes a request from the HTTP/2 body, runs it through the
/// router (the request's abort token becomes the call's cancellation token) and writes the
/// encoded result, exception or rejection. Every response carries this silo's activation count.
/// </summary>
internal sealed class SiloMessageEndpoint(SiloCallRouter router, MessageCodec codec, Catalog.Catalog catalog, ReminderService reminders)
{
    public const string ReminderChangedPath = "/moss/reminders/changed";

    public async Task HandleCallAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        var body = await ReadBodyAsync(context.Request.BodyReader, aborted).ConfigureAwait(false);
        CallRequest request;
        try
        {
            request = codec.ReadRequest(new ReadOnlySequence<byte>(body), aborted);
        }
        catch (Exception ex) when (ex is MessageFormatException or InvalidOperationException or ArgumentException)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync(ex.Message, aborted).ConfigureAwait(false);
            return;
        }

        var output = new ArrayBufferWriter<byte>(128);
        try
        {
            var result = await router.HandleInboundAsync(request, aborted).ConfigureAwait(false);
            try
            {
                codec.WriteResult(output, request.Method, result, catalog.ActivationCount);
            }
            catch (Exception ex)
            {
                output.Clear();
                MessageCodec.WriteException(output, ex, catalog.ActivationCount);
            }
        }
        catch (CallRejectedException ex)
        {
            MessageCodec.WriteRejection(output, ex.Message, catalog.ActivationCount);
        }
        catch (Exception ex)
        {
            MessageCodec.WriteException(output, ex, catalog.ActivationCount);
        }

        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = output.WrittenCount;
        await context.Response.Body.WriteAsync(output.WrittenMemory, aborted).ConfigureAwait(false);
    }

    /// <summary>Another silo stored a reminder whose ring range this silo owns.</summary>
    public async Task HandleReminderChangedAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context.Request.BodyReader, context.RequestAborted).ConfigureAwait(false);
        var (grainId, name) = ReminderChangeCodec.Read(body);
        await reminders.OnReminderChangedAsync(grainId, name, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task<byte[]> ReadBodyAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (read.IsCompleted)
            {
                var bytes = read.Buffer.ToArray();
                reader.AdvanceTo(read.Buffer.End);
                return bytes;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }
}
