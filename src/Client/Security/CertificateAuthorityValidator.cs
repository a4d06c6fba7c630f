using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace MossGrains.Client.Security;

/// <summary>
/// Accepts a remote certificate only if it chains to one configured authority (custom root trust: the machine's root
/// store plays no part), is within its validity period and names <paramref name="usage"/> in its extended key usage
/// (Server Authentication for a silo, so a client's certificate of the same authority cannot pass as a silo; Client
/// Authentication for a client). Host names are not checked: silos are reached by the address they advertise, which the
/// authority vouches for by issuing the certificate. A refusal is logged naming the setting.
/// </summary>
public sealed partial class CertificateAuthorityValidator(X509Certificate2 authority, string authoritySetting, Oid usage, ILogger logger)
{
    /// <summary>Extended key usage of a TLS server: what a silo's certificate must name.</summary>
    public static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1", "Server Authentication");

    /// <summary>Extended key usage of a TLS client: what a client's certificate must name.</summary>
    public static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2", "Client Authentication");

    public bool Validate(X509Certificate2 certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(authority);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            // Intermediates the peer sent along.
            foreach (var element in chain.ChainElements.Skip(1))
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (custom.Build(certificate) && custom.ChainElements[^1].Certificate.RawDataMemory.Span.SequenceEqual(authority.RawDataMemory.Span))
        {
            if (HasUsage(certificate))
            {
                return true;
            }

            LogRefused(logger, certificate.Subject, authoritySetting, authority.Subject, $"its extended key usage does not include {usage.FriendlyName} ({usage.Value})");
            return false;
        }

        string status = string.Join("; ", custom.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0));
        LogRefused(logger, certificate.Subject, authoritySetting, authority.Subject, $"it does not chain to that authority{(status.Length > 0 ? ": " + status : "")}");
        return false;
    }

    private bool HasUsage(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Any(e => e.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == usage.Value));

    [LoggerMessage(1, LogLevel.Warning, "TLS: refused the remote certificate '{Subject}' (trusted authority: {Setting}, '{Authority}'): {Reason}")]
    private static partial void LogRefused(ILogger logger, string subject, string setting, string authority, string reason);
}
