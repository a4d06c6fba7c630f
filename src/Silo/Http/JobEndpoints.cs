using MossGrains.Client;
using MossGrains.Client.Jobs;
using MossGrains.Engine.Embedding;
using MossGrains.Grains.Naming;

namespace MossGrains.Silo.Http;

/// <summary>Mutation jobs: submit add/delete on <c>/v1/projects/{project}/indexes/{name}/jobs/…</c> (202), read <c>/v1/projects/{project}/jobs/{job_id}</c>.</summary>
internal static class JobEndpoints
{
    public static void MapJobs(this RouteGroupBuilder project)
    {
        project.MapPost("/indexes/{name}/jobs/add", SubmitAddAsync).Body<AddDocsBody>().Answers<JobAccepted>(StatusCodes.Status202Accepted)
            .Problems(StatusCodes.Status422UnprocessableEntity);
        project.MapPost("/indexes/{name}/jobs/delete", SubmitDeleteAsync).Body<DocIdsBody>().Answers<JobAccepted>(StatusCodes.Status202Accepted)
            .Problems(StatusCodes.Status422UnprocessableEntity);
        project.MapGet("/jobs/{jobId}", StatusAsync).Answers<JobStatusAnswer>();
    }

    private static async Task<IResult> SubmitAddAsync(string project, string name, HttpRequest request, IMossClient moss, EmbedderCatalog models, CancellationToken cancellationToken)
    {
        var body = await HttpJson.ReadAsync<AddDocsBody>(request, cancellationToken);
        models.CheckNamed(body.ModelId, EmbedderCatalog.ModelIdField);
        var options = new MutationJobOptions { Project = project, ModelId = body.ModelId, Upsert = body.Upsert };
        using var idempotency = IdempotencyHeader.Scope(request);
        return Accepted(request, project, await moss.AddDocsAsync(name, DocumentBody.ToEngine(body.Docs), options, cancellationToken));
    }

    private static async Task<IResult> SubmitDeleteAsync(string project, string name, HttpRequest request, IMossClient moss, CancellationToken cancellationToken)
    {
        var body = await HttpJson.ReadAsync<DocIdsBody>(request, cancellationToken);
        using var idempotency = IdempotencyHeader.Scope(request);
        return Accepted(request, project, await moss.DeleteDocsAsync(name, body.DocIds, new MutationJobOptions { Project = project }, cancellationToken));
    }

    private static async Task<IResult> StatusAsync(string project, string jobId, IMossClient moss, CancellationToken cancellationToken)
    {
        var status = await moss.GetJobStatusAsync(jobId, cancellationToken);
        // A job of another project answers exactly as a job that does not exist.
        return IndexKey.Parse(status.IndexKey).Project == project
            ? HttpJson.Ok(JobStatusAnswer.From(status))
            : throw new KeyNotFoundException($"There is no job {jobId}.");
    }

    private static IResult Accepted(HttpRequest request, string project, string jobId)
    {
        string url = $"/v1/projects/{Uri.EscapeDataString(project)}/jobs/{jobId}";
        request.HttpContext.Response.Headers.Location = url;
        return Results.Json(new JobAccepted(jobId, url), HttpJson.Options, statusCode: StatusCodes.Status202Accepted);
    }
}
