using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace MossGrains.Client.Security;

/// <summary>
/// Accepts a remote certificate only if it chains to one configured authority (custom root trust: the machine's root
/// store plays no part) and is within its validity period. Host names are not checked: silos are reached by the address
/// they advertise, which the authority vouches for by issuing the certificate. A refusal is logged naming the setting.
/// </summary>
public sealed partial class CertificateAuthorityValidator(X509Certificate2 authority, string authoritySetting, ILogger logger)
{
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
            return true;
        }

        string status = string.Join("; ", custom.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).DefaultIfEmpty("it does not chain to the authority"));
        LogRefused(logger, certificate.Subject, authoritySetting, authority.Subject, status);
        return false;
    }

    [LoggerMessage(1, LogLevel.Warning, "TLS: refused the remote certificate '{Subject}': it is not issued by the authority of {Setting} ('{Authority}'): {Status}")]
    private static partial void LogRefused(ILogger logger, string subject, string setting, string authority, string status);
}
