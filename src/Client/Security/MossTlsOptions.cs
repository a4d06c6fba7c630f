using System.Security.Cryptography.X509Certificates;

namespace MossGrains.Client.Security;

/// <summary>
/// Mutual TLS on Orleans' connections (silo to silo, client to gateway): this side's certificate, and the certificate
/// authority every remote certificate must chain to. The silo binds it from <c>Moss:Silo:Tls</c>, a client takes it in
/// <c>MossClusterClientOptions.Tls</c>. Off by default.
/// </summary>
public sealed class MossTlsOptions
{
    /// <summary>Turns TLS on. Default false: Orleans' connections are plaintext (a single node on loopback).</summary>
    public bool Enabled { get; set; }

    /// <summary>This side's certificate: a PEM file (with <see cref="KeyFile"/>) or a PKCS#12 file (<c>.pfx</c>/<c>.p12</c>, with <see cref="CertificatePassword"/>). Required when enabled.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>The PEM private key of a PEM <see cref="CertificateFile"/>. Null: the key is in the certificate file.</summary>
    public string? KeyFile { get; set; }

    /// <summary>Password of a PKCS#12 <see cref="CertificateFile"/> (or of an encrypted PEM key). Null: none.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>PEM certificate of the authority that issued the cluster's certificates: a remote silo's, gateway's or client's certificate is accepted only if it chains to it. Required when enabled.</summary>
    public string? CaCertificateFile { get; set; }

    /// <summary>Longest TLS handshake. Default 10 s (Orleans' default).</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Refuses settings TLS cannot start with, naming the setting under <paramref name="section"/> (e.g. <c>Moss:Silo:Tls</c>).</summary>
    public void Validate(string section)
    {
        if (!Enabled)
        {
            return;
        }

        RequireFile(CertificateFile, $"{section}:{nameof(CertificateFile)}", section);
        RequireFile(CaCertificateFile, $"{section}:{nameof(CaCertificateFile)}", section);
        if (KeyFile is not null)
        {
            RequireFile(KeyFile, $"{section}:{nameof(KeyFile)}", section);
        }

        if (HandshakeTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{section}:{nameof(HandshakeTimeout)} ({HandshakeTimeout}) must be positive.");
        }
    }

    /// <summary>This side's certificate with its private key; a file that holds none is refused naming the setting.</summary>
    public X509Certificate2 LoadCertificate(string section)
    {
        string file = CertificateFile ?? throw new InvalidOperationException($"{section}:{nameof(CertificateFile)} is required when {section}:{nameof(Enabled)} is true.");
        X509Certificate2 certificate;
        try
        {
            certificate = IsPkcs12(file)
                ? X509CertificateLoader.LoadPkcs12FromFile(file, CertificatePassword, X509KeyStorageFlags.EphemeralKeySet)
                : CertificatePassword is null
                    ? X509Certificate2.CreateFromPemFile(file, KeyFile)
                    : X509Certificate2.CreateFromEncryptedPemFile(file, CertificatePassword, KeyFile);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or ArgumentException or IOException)
        {
            throw new InvalidOperationException($"{section}:{nameof(CertificateFile)} '{file}' could not be loaded (PEM with {section}:{nameof(KeyFile)}, or PKCS#12 with {section}:{nameof(CertificatePassword)}): {e.Message}", e);
        }

        return certificate.HasPrivateKey
            ? certificate
            : throw new InvalidOperationException($"{section}:{nameof(CertificateFile)} '{file}' holds no private key: give it in {section}:{nameof(KeyFile)} or use a PKCS#12 file.");
    }

    /// <summary>The authority of <see cref="CaCertificateFile"/>.</summary>
    public X509Certificate2 LoadAuthority(string section)
    {
        string file = CaCertificateFile ?? throw new InvalidOperationException($"{section}:{nameof(CaCertificateFile)} is required when {section}:{nameof(Enabled)} is true.");
        try
        {
            return X509CertificateLoader.LoadCertificateFromFile(file);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new InvalidOperationException($"{section}:{nameof(CaCertificateFile)} '{file}' is not a certificate: {e.Message}", e);
        }
    }

    private static bool IsPkcs12(string file) =>
        file.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".p12", StringComparison.OrdinalIgnoreCase);

    private static void RequireFile(string? file, string setting, string section)
    {
        if (string.IsNullOrWhiteSpace(file))
        {
            throw new InvalidOperationException($"{setting} is required when {section}:{nameof(Enabled)} is true.");
        }

        if (!File.Exists(file))
        {
            throw new InvalidOperationException($"{setting} '{file}' does not exist.");
        }
    }
}
