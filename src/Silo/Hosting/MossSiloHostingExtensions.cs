using System.Net;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using MossGrains.Client.Security;
using MossGrains.Grains;
using MossGrains.Grains.FileStorage;
using MossGrains.IndexStore;
using MossGrains.Silo.WebConsole;
using MossGrains.Silo.Health;
using MossGrains.Silo.Http;
using MossGrains.Silo.Http.Authentication;
using MossGrains.Silo.Security;
using MossGrains.Silo.Telemetry;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace MossGrains.Silo.Hosting;

/// <summary>Turns an ASP.NET Core application into a MossGrains silo, configured from <see cref="MossSiloOptions"/>.</summary>
public static partial class MossSiloHostingExtensions
{
    /// <summary>Path of the health endpoint: 200 while the silo is up, 503 while it starts or shuts down.</summary>
    public const string HealthPath = "/health";

    /// <summary>Path the Orleans Dashboard is mapped at; it takes an operator's key (<c>Moss:Http:OperatorKeys</c>) unless no key is configured at all.</summary>
    public const string DashboardPath = "/dashboard";

    /// <summary>Configuration of the index store beyond where it is: <c>KeepVersions</c>, <c>PruneGrace</c>.</summary>
    public const string IndexStoreSection = "Moss:IndexStore";

    /// <summary>Configuration of sessions (<c>DurableSessionOptions</c>).</summary>
    public const string SessionsSection = "Moss:Sessions";

    /// <summary>Folder-backed models callers name: <c>Moss:Models:{name}:Kind</c> (onnx, model2vec, static) and <c>:Folder</c> (<c>NamedModelOptions</c>).</summary>
    public const string ModelsSection = "Moss:Models";

    /// <summary>
    /// Reads <c>Moss:Silo</c> (<see cref="MossSiloOptions"/>), <c>Moss:Sessions</c> (<c>DurableSessionOptions</c>),
    /// <c>Moss:Models</c> (named models), <c>Moss:Indexes</c>, <c>Moss:Limits</c> (<c>MossLimitsOptions</c>, per-project quotas)
    /// and <c>Moss:IndexStore</c> (<c>KeepVersions</c>, <c>PruneGrace</c>), then
    /// configures Orleans for one node (localhost clustering; reminders, grain state and index binaries in its data folder) or
    /// for a cluster on Azure Storage (tables for membership and reminders, blobs for grain state and index binaries).
    /// </summary>
    public static WebApplicationBuilder UseMossSilo(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(MossSiloOptions.Section).Get<MossSiloOptions>() ?? new MossSiloOptions();
        options.Validate();
        bool kubernetes = options.UsesKubernetesHosting(KubernetesPod.IsRunningInPod(builder.Configuration));
        if (kubernetes)
        {
            KubernetesPod.Validate(builder.Configuration, options);
        }

        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(60));

        if (options.Clustering == ClusteringMode.AzureStorage)
        {
            builder.Services.AddAzureBlobIndexStore(o =>
            {
                builder.Configuration.GetSection(IndexStoreSection).Bind(o);
                o.ConnectionString = options.StorageConnectionString!;
                o.ContainerName = options.IndexContainerName;
            });
        }
        else
        {
            builder.Services.AddFileSystemIndexStore(o =>
            {
                builder.Configuration.GetSection(IndexStoreSection).Bind(o);
                o.RootDirectory = options.IndexFolder;
            });
        }

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options.ClusterId;
                o.ServiceId = options.ServiceId;
            });
            if (options.Clustering == ClusteringMode.AzureStorage)
            {
                string connection = options.StorageConnectionString!;
                if (kubernetes)
                {
                    KubernetesPod.Configure(silo, builder.Configuration, options);
                }
                else
                {
                    silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertisedAddress), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: false);
                }

                silo.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(connection));
                silo.UseAzureTableReminderService(o => o.TableServiceClient = new TableServiceClient(connection));
                silo.AddAzureBlobGrainStorage(MossGrainStorage.Name, o =>
                {
                    o.BlobServiceClient = new BlobServiceClient(connection);
                    o.ContainerName = options.StateContainerName;
                });
            }
            else
            {
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort);
                silo.UseFileReminderService(o => o.RootDirectory = options.RemindersFolder);
                silo.AddFileGrainStorage(MossGrainStorage.Name, o => o.RootDirectory = options.GrainStateFolder);
            }

            if (options.FailureDetection == FailureDetectionProfile.Fast)
            {
                silo.Configure<ClusterMembershipOptions>(FailureDetection.ApplyFast);
            }

            silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = options.SessionIdleTimeout);
            silo.AddMossGrains(
                o => builder.Configuration.GetSection(SessionsSection).Bind(o),
                o => builder.Configuration.GetSection(ModelsSection).Bind(o.Models));
            silo.Services.Configure<MossGrains.Grains.Limits.MossLimitsOptions>(builder.Configuration.GetSection(MossGrains.Grains.Limits.ProjectLimits.Section));
            silo.AddIncomingGrainCallFilter<ProjectCallFilter>();
            if (options.Tls.Enabled)
            {
                new MossTlsConnections(options.Tls, MossSiloOptions.TlsSection).Apply(silo);
            }

            silo.AddDashboard();
        });

        builder.Services.AddHealthChecks().AddCheck<SiloHealthCheck>("silo");
        builder.AddMossHttp(options.Clustering);
        builder.AddMossTelemetry();
        return builder;
    }

    /// <summary>Maps the health endpoint, the Orleans Dashboard, the HTTP API (docs/http.md) and the web console at <c>/</c> (docs/console.md), and announces the silo once it is up.</summary>
    public static WebApplication MapMossSilo(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Errors with no body of their own (routing's 404 and 405, refused bindings) and unhandled ones become problem documents.
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(ApiMiddleware.ReadBodiesAsJsonAsync);
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapHealthChecks(HealthPath).AllowAnonymous();
        app.MapOrleansDashboard(DashboardPath).RequireAuthorization(MossAuthentication.OperatorPolicy);
        app.MapMossHttp();
        app.MapMossTelemetry();
        app.MapMossConsole();
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MossSiloOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MossGrains.Silo");
        app.Lifetime.ApplicationStarted.Register(() =>
            LogReady(logger, options.Clustering, options.ClusterId, options.SiloPort, options.GatewayPort, string.Join(' ', app.Urls)));
        app.Lifetime.ApplicationStopping.Register(() => LogStopping(logger));
        return app;
    }

    [LoggerMessage(1, LogLevel.Information, "MossGrains silo ready: {Clustering} cluster {ClusterId}, silo port {SiloPort}, gateway port {GatewayPort}, http {Urls}")]
    private static partial void LogReady(ILogger logger, ClusteringMode clustering, string clusterId, int siloPort, int gatewayPort, string urls);

    [LoggerMessage(2, LogLevel.Information, "MossGrains silo stopping: flushing sessions, then leaving the cluster")]
    private static partial void LogStopping(ILogger logger);
}
