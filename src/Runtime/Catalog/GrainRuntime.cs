using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MossGrains.Runtime.GrainDirectory;
using MossGrains.Runtime.Hosting;
using MossGrains.Runtime.Messaging;
using MossGrains.Runtime.Reminders;

namespace MossGrains.Runtime.Catalog;

/// <summary>The silo services an activation needs, resolved once (they reference each other).</summary>
internal sealed class GrainRuntime(IServiceProvider services, LocalSiloDetails localSilo, TimeProvider timeProvider, IOptions<MessagingOptions> messaging, IOptions<SiloOptions> silo, ILogger<GrainRuntime> logger)
{
    private Catalog? catalog;
    private SiloCallRouter? router;
    private LocalGrainDirectory? directory;
    private ReminderRegistry? reminders;
    private IGrainFactory? grainFactory;

    public LocalSiloDetails LocalSilo => localSilo;

    public TimeProvider TimeProvider => timeProvider;

    public ILogger Log => logger;

    public int MaxForwardCount => messaging.Value.MaxForwardCount;

    public TimeSpan DeactivationTimeout => silo.Value.DeactivationTimeout;

    public Catalog Catalog => catalog ??= services.GetRequiredService<Catalog>();

    public SiloCallRouter Router => router ??= services.GetRequiredService<SiloCallRouter>();

    public LocalGrainDirectory Directory => directory ??= services.GetRequiredService<LocalGrainDirectory>();

    public ReminderRegistry Reminders => reminders ??= services.GetRequiredService<ReminderRegistry>();

    public IGrainFactory GrainFactory => grainFactory ??= services.GetRequiredService<IGrainFactory>();

    public object CreateGrainInstance(Type grainClass) => ActivatorUtilities.CreateInstance(services, grainClass);
}
