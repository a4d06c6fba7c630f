using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MossGrains.Client.Security;

namespace MossGrains.Testing;

/// <summary>
/// A certificate authority made at run time, with a silo certificate (server and client authentication, for 127.0.0.1
/// and localhost) and a client certificate issued by it, plus a second, unrelated authority and a client certificate of
/// its own: PEM files in a temporary folder, deleted on dispose. Nothing is ever committed.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1", ClientAuth = "1.3.6.1.5.5.7.3.2";

    private TestCertificates(string folder) => Folder = folder;

    public string Folder { get; }

    public string AuthorityFile => Path.Combine(Folder, "ca.crt");

    /// <summary>Creates the authorities and certificates.</summary>
    public static TestCertificates Create()
    {
        var certificates = new TestCertificates(Directory.CreateTempSubdirectory("moss-certs-").FullName);
        using var authority = Authority("MossGrains Test CA");
        using var rogue = Authority("Another CA");
        File.WriteAllText(certificates.AuthorityFile, authority.ExportCertificatePem());
        Issue(authority, "moss-silo", server: true, certificates.PathOf("silo"));
        Issue(authority, "moss-client", server: false, certificates.PathOf("client"));
        Issue(rogue, "rogue-client", server: false, certificates.PathOf("rogue-client"));
        return certificates;
    }

    /// <summary>The silos' <c>Moss:Silo:Tls</c> settings.</summary>
    public IReadOnlyDictionary<string, string> SiloSettings() => new Dictionary<string, string>
    {
        ["Moss:Silo:Tls:Enabled"] = "true",
        ["Moss:Silo:Tls:CertificateFile"] = PathOf("silo") + ".crt",
        ["Moss:Silo:Tls:KeyFile"] = PathOf("silo") + ".key",
        ["Moss:Silo:Tls:CaCertificateFile"] = AuthorityFile,
    };

    /// <summary>Client TLS with the certificate <paramref name="name"/> (<c>client</c>, or <c>rogue-client</c> of the other authority).</summary>
    public MossTlsOptions Client(string name = "client") => new()
    {
        Enabled = true,
        CertificateFile = PathOf(name) + ".crt",
        KeyFile = PathOf(name) + ".key",
        CaCertificateFile = AuthorityFile,
    };

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private string PathOf(string name) => Path.Combine(Folder, name);

    private static X509Certificate2 Authority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(2));
    }

    private static void Issue(X509Certificate2 authority, string name, bool server, string path)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var usages = new OidCollection { new Oid(ClientAuth) };
        if (server)
        {
            usages.Add(new Oid(ServerAuth));
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.Create(authority, now.AddHours(-1), now.AddDays(1), RandomNumberGenerator.GetBytes(16));
        File.WriteAllText(path + ".crt", certificate.ExportCertificatePem());
        File.WriteAllText(path + ".key", key.ExportPkcs8PrivateKeyPem());
    }
}
