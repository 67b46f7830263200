using System.Net;
using System.Net.Sockets;

namespace CommentService.Api.Features.Webhooks;

/// <summary>
/// Keeps webhooks from reaching into the service's own network (server-side request forgery): the
/// check runs on the addresses actually connected to, after DNS, so a name that resolves (or later
/// re-resolves) to an internal address is refused too. Comments:Webhooks:AllowPrivateNetworks lifts it.
/// </summary>
public static class OutboundAddresses
{
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0 || b[0] == 10 || b[0] == 127
                     || (b[0] == 100 && b[1] >= 64 && b[1] < 128)      // carrier-grade NAT
                     || (b[0] == 169 && b[1] == 254)                   // link-local, cloud metadata
                     || (b[0] == 172 && b[1] >= 16 && b[1] < 32)
                     || (b[0] == 192 && b[1] == 168)
                     || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                     || (b[0] == 198 && b[1] is 18 or 19)              // benchmarking
                     || b[0] >= 224);                                  // multicast and reserved
        }
        var v6 = address.GetAddressBytes();
        return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                 || (v6[0] & 0xfe) == 0xfc);                           // unique local fc00::/7
    }

    /// <summary>The handler for outgoing webhook calls: no redirects, no proxy, and the address check on connect.</summary>
    public static SocketsHttpHandler Handler(bool allowPrivateNetworks) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = async (context, ct) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
            var allowed = addresses.Where(a => allowPrivateNetworks || IsPublic(a)).ToArray();
            if (allowed.Length == 0)
            {
                throw new HttpRequestException($"'{host}' is a loopback, private or internal address; webhooks may not call it.");
            }
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
