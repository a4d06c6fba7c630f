using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace MossGrains.Http.Tests;

/// <summary>
/// HTTP/1.1 over a bare socket, so the request target reaches the server exactly as written (<c>HttpClient</c> and
/// <c>Uri</c> would resolve <c>/./</c> and <c>..</c> and unescape letters before sending): the attacker's spellings.
/// </summary>
internal static class RawHttp
{
    public sealed record Answer(int Status, string Head, string Body);

    public static async Task<Answer> SendAsync(Uri server, string method, string target, IReadOnlyDictionary<string, string>? headers = null, string? body = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, timeout.Token);
        await using var stream = tcp.GetStream();
        byte[] content = Encoding.UTF8.GetBytes(body ?? "");
        var request = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{method} {target} HTTP/1.1\r\n")
            .Append(CultureInfo.InvariantCulture, $"Host: {server.Host}:{server.Port}\r\n")
            .Append("Connection: close\r\n");
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        // A body sent with Transfer-Encoding goes as written (its chunk framing is the caller's).
        if (body is not null && headers?.ContainsKey("Transfer-Encoding") != true)
        {
            request.Append("Content-Type: application/json\r\n").Append(CultureInfo.InvariantCulture, $"Content-Length: {content.Length}\r\n");
        }

        request.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()), timeout.Token);
        await stream.WriteAsync(content, timeout.Token);
        // The head, then the body while it comes: a streaming endpoint (the dashboard's trace) never ends its body.
        var answer = new List<byte>();
        var buffer = new byte[8192];
        int headEnd = -1;
        using var bodyWindow = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        try
        {
            while (true)
            {
                int read = await stream.ReadAsync(buffer, bodyWindow.Token);
                if (read == 0)
                {
                    break;
                }

                answer.AddRange(buffer.AsSpan(0, read));
                if (headEnd < 0 && (headEnd = Encoding.ASCII.GetString([.. answer]).IndexOf("\r\n\r\n", StringComparison.Ordinal)) >= 0)
                {
                    bodyWindow.CancelAfter(TimeSpan.FromSeconds(2));
                }
            }
        }
        catch (OperationCanceledException) when (headEnd >= 0 && !timeout.IsCancellationRequested)
        {
        }

        string text = Encoding.UTF8.GetString([.. answer]);
        int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        string head = end < 0 ? text : text[..end];
        string[] statusLine = head.Split("\r\n")[0].Split(' ');
        int status = statusLine.Length > 1 && int.TryParse(statusLine[1], CultureInfo.InvariantCulture, out int code) ? code : 0;
        return new Answer(status, head, end < 0 ? "" : text[(end + 4)..]);
    }
}
