using System.Net;
using System.Net.Sockets;

namespace MossGrains.Testing;

/// <summary>Ports nobody listens on.</summary>
public static class FreePort
{
    /// <summary>A TCP port on 127.0.0.1 that was free when asked (the OS picks it).</summary>
    public static int OnLoopback()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
