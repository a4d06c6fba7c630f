using MossGrains.Engine.Session;
using MossGrains.Grains.Jobs;
using MossGrains.Grains.Naming;
using MossGrains.Grains.Sessions;
using MossGrains.IndexStore.Contracts;

namespace MossGrains.Client.Jobs;

/// <summary>A job's spec and input from a caller's add-docs or delete-docs request, checked before anything is sent or stored.</summary>
internal static class JobRequests
{
    public static (JobSpec Spec, DocumentRecord[] Docs) AddDocs(string indexName, IEnumerable<DocumentInfo> docs, MutationJobOptions? options)
    {
        ArgumentNullException.ThrowIfNull(docs);
        options ??= new MutationJobOptions();
        var records = docs.Select((d, i) => ContractMapping.ToContract(d ?? throw new ArgumentNullException($"docs[{i}]", "Documents must not be null."))).ToArray();
        var spec = new JobSpec(IndexKey.For(options.Project, indexName), JobKind.AddDocs, records.Length, options.ModelId, options.Upsert);
        spec.Validate();
        return (spec, records);
    }

    public static (JobSpec Spec, string[] Ids) DeleteDocs(string indexName, IEnumerable<string> docIds, MutationJobOptions? options)
    {
        ArgumentNullException.ThrowIfNull(docIds);
        options ??= new MutationJobOptions();
        string[] ids = [.. docIds];
        var spec = new JobSpec(IndexKey.For(options.Project, indexName), JobKind.DeleteDocs, ids.Length, null, options.Upsert);
        spec.Validate();
        return (spec, ids);
    }
}
