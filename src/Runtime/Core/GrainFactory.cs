using MossGrains.Runtime.Metadata;
using MossGrains.Runtime.Serialization;

namespace MossGrains.Runtime;

/// <summary>
/// Makes grain references for a silo or a client; also lets the serializer carry references.
/// The invoker is resolved on first use: the router needs the serializer, which needs this.
/// </summary>
internal sealed class GrainFactory(GrainTypeRegistry registry, Func<IGrainCallInvoker> invokerFactory) : IGrainFactory, IGrainReferenceConverter
{
    private IGrainCallInvoker? invoker;

    private IGrainCallInvoker Invoker => invoker ??= invokerFactory();

    public TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var metadata = registry.GetInterface(typeof(TGrainInterface));
        return (TGrainInterface)GrainReference.Create(metadata, new GrainId(metadata.TypeAlias, key), Invoker);
    }

    public object CreateReference(Type grainInterface, GrainId grainId)
    {
        var metadata = registry.GetInterface(grainInterface);
        if (metadata.TypeAlias != grainId.Type)
        {
            // A reference typed as one interface may name a grain of a derived interface's type.
            metadata = registry.GetInterface(grainId.Type);
        }

        return GrainReference.Create(metadata, grainId, Invoker);
    }

    public GrainId? TryGetGrainId(object value) => value is GrainReference reference ? reference.GrainId : null;
}
