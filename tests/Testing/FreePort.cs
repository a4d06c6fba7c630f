using System.Net;
using System.Net.Sockets;

namespace MossGrains.Testing;

/// <summary>Ports nobody listens on.</summary>
public static class FreePort
{
    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A TCP port on 127.0.0.1 that was free when asked (the OS picks it) and that this process has not handed out
    /// before: the OS reuses a port as soon as its probe listener closes, and a cluster asks for several at once.
    /// </summary>
    public static int OnLoopback()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (HandedOut)
            {
                if (HandedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
