using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using MossGrains.Runtime.Metadata;

namespace MossGrains.Runtime.Messaging;

/// <summary>The target could not be reached at all: the call was not delivered and may be retried elsewhere.</summary>
internal sealed class SiloUnreachableException(string endpoint, Exception innerException)
    : Exception($"Silo {endpoint} is unreachable.", innerException);

/// <summary>The target refused the call without running it (stopping, or another generation): re-route.</summary>
internal sealed class CallRejectedException(string reason) : Exception(reason);

/// <summary>
/// Sends grain calls to other silos over pooled, multiplexed HTTP/2 (h2c with prior knowledge):
/// one <see cref="SocketsHttpHandler"/> per process, several connections per silo when the
/// stream limit is reached.
/// </summary>
internal sealed class RemoteCallClient : IDisposable
{
    public const string CallPath = "/moss/call";

    private readonly ConcurrentDictionary<string, Uri> callUris = new(StringComparer.Ordinal);
    private readonly HttpClient http;
    private readonly MessageCodec codec;

    public RemoteCallClient(MessageCodec codec)
    {
        this.codec = codec;
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            KeepAlivePingDelay = TimeSpan.FromSeconds(10),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            UseProxy = false,
            AllowAutoRedirect = false,
        };
        http = new HttpClient(handler)
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Sends one call to the silo at <paramref name="endpoint"/> (host:port) and decodes its response.</summary>
    public async Task<CallResponse> SendAsync(string endpoint, long targetGeneration, GrainId target, GrainMethod method, object?[] args, CallFlags flags, int forwardCount, CancellationToken cancellationToken)
    {
        var body = new ArrayBufferWriter<byte>(256);
        codec.WriteRequest(body, target, method, args, flags, forwardCount, targetGeneration);
        using var request = new HttpRequestMessage(HttpMethod.Post, callUris.GetOrAdd(endpoint, static e => new Uri($"http://{e}{CallPath}")))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ReadOnlyMemoryContent(body.WrittenMemory),
        };
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            throw new SiloUnreachableException(endpoint, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new SiloUnavailableException($"The call to {target} on silo {endpoint} failed in transit: {ex.Message}", ex);
        }

        using (response)
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new SiloUnavailableException($"Silo {endpoint} answered the call to {target} with HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
            }

            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return codec.ReadResponse(new ReadOnlySequence<byte>(bytes), method);
        }
    }

    /// <summary>Posts a small control message (not a grain call) to <paramref name="path"/> on a silo.</summary>
    public async Task PostAsync(string endpoint, string path, byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://{endpoint}{path}"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    public void Dispose() => http.Dispose();
}
