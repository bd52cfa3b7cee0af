using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using RedisPriorityTransport.Tests.Infrastructure;
using RedisPriorityTransport.Tests.Transport;
using Xunit.Abstractions;

namespace RedisPriorityTransport.Tests.Reliability;

/// <summary>
/// A bus reaches Redis over TLS, as on every hosted Redis: a redis-server with a TLS port and a self-signed certificate
/// the test makes, and <c>ssl=true</c> in the configuration string. Only the test trusts that certificate, by its
/// thumbprint, through the certificate validation callback.
/// </summary>
public sealed class TlsTests(ITestOutputHelper output) : DedicatedRedisTestBase(TlsServer.Arguments())
{
    [RedisFact]
    public async Task A_bus_publishes_and_consumes_over_TLS_with_ssl_true_in_the_configuration_string()
    {
        var services = new ServiceCollection();
        services.AddMassTransitTestHarness(x =>
        {
            x.SetTestTimeouts(testTimeout: TimeSpan.FromSeconds(60), testInactivityTimeout: TimeSpan.FromSeconds(5));
            x.AddConsumer<InvoiceConsumer>();
            x.UsingRedis((context, cfg) =>
            {
                cfg.Host($"127.0.0.1:{TlsServer.TlsPort},ssl=true,sslHost=localhost,abortConnect=false", h =>
                {
                    h.KeyPrefix = "tls:";
                    h.ConfigureOptions(o => o.CertificateValidation += (_, certificate, _, _) =>
                        certificate is not null && certificate.GetCertHashString() == TlsServer.Thumbprint);
                });
                cfg.ConfigureEndpoints(context);
            });
        });
        await using var provider = services.BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();

        await harness.Bus.Publish(new InvoiceRequested("over tls"));

        Assert.True(await harness.Consumed.Any<InvoiceRequested>(x => x.Context.Message.OrderId == "over tls"));
        var clients = await Server.CommandAsync("CLIENT", "LIST");
        output.WriteLine($"TLS port {TlsServer.TlsPort}; the bus's connections: {clients.Split('\n').Count(l => l.Contains("laddr=127.0.0.1:" + TlsServer.TlsPort))}");
        Assert.Contains("laddr=127.0.0.1:" + TlsServer.TlsPort, clients);
        await harness.Stop();
    }
}

/// <summary>Makes a self-signed certificate for localhost and the redis-server arguments that serve TLS with it.</summary>
internal static class TlsServer
{
    public static int TlsPort { get; private set; }

    public static string Thumbprint { get; private set; } = "";

    public static string[] Arguments()
    {
        var directory = Directory.CreateTempSubdirectory("rpt-tls-").FullName;
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        Thumbprint = certificate.GetCertHashString();
        var certificateFile = Path.Combine(directory, "redis.crt");
        var keyFile = Path.Combine(directory, "redis.key");
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        TlsPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return ["--tls-port", TlsPort.ToString(), "--tls-cert-file", certificateFile, "--tls-key-file", keyFile,
            "--tls-ca-cert-file", certificateFile, "--tls-auth-clients", "no"];
    }
}
