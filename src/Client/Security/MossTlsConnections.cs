using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Configuration;
using Orleans.Connections.Security;

namespace MossGrains.Client.Security;

/// <summary>
/// Orleans' TLS connection middleware (<c>Microsoft.Orleans.Connections.Security</c>) set up from <see cref="MossTlsOptions"/>:
/// both sides present a certificate and both require the other's to chain to the configured authority. The certificates
/// are loaded once, when this is made, so a bad file fails at start naming its setting.
/// </summary>
public sealed class MossTlsConnections
{
    private readonly MossTlsOptions _options;
    private readonly string _section;
    private readonly X509Certificate2 _certificate;
    private readonly X509Certificate2 _authority;

    public MossTlsConnections(MossTlsOptions options, string section)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(section);
        options.Validate(section);
        _options = options;
        _section = section;
        _certificate = options.LoadCertificate(section);
        _authority = options.LoadAuthority(section);
    }

    /// <summary>Client→gateway connections of an Orleans client.</summary>
    public void Apply(IClientBuilder client)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.Configure<ClientConnectionOptions>(o => o.ConfigureConnection(c => c.UseClientTls(For(c, CertificateAuthorityValidator.ServerAuthentication))));
    }

    /// <summary>A silo's inbound silo and gateway connections and its outbound silo connections.</summary>
    public void Apply(ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Configure<SiloConnectionOptions>(o =>
        {
            // The silo port takes only silos (Server Authentication, which client certificates lack); the gateway clients.
            o.ConfigureSiloInboundConnection(c => c.UseServerTls(For(c, CertificateAuthorityValidator.ServerAuthentication)));
            o.ConfigureGatewayInboundConnection(c => c.UseServerTls(For(c, CertificateAuthorityValidator.ClientAuthentication)));
            o.ConfigureSiloOutboundConnection(c => c.UseClientTls(For(c, CertificateAuthorityValidator.ServerAuthentication)));
        });
    }

    private TlsOptions For(IConnectionBuilder connection, System.Security.Cryptography.Oid remoteUsage)
    {
        var logger = connection.ApplicationServices.GetService<ILoggerFactory>()?.CreateLogger<CertificateAuthorityValidator>() ?? NullLogger<CertificateAuthorityValidator>.Instance;
        var validator = new CertificateAuthorityValidator(_authority, $"{_section}:{nameof(MossTlsOptions.CaCertificateFile)}", remoteUsage, logger);
        return new TlsOptions
        {
            LocalCertificate = _certificate,
            RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
            ClientCertificateMode = RemoteCertificateMode.RequireCertificate,
            RemoteCertificateValidation = validator.Validate,
            HandshakeTimeout = _options.HandshakeTimeout,
        };
    }
}
