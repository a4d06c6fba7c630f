using Microsoft.AspNetCore.Mvc;
using MossGrains.Client;
using MossGrains.Client.Sessions;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Session;
using MossGrains.Grains.Sessions;
using SessionOptions = MossGrains.Client.Sessions.SessionOptions;

namespace MossGrains.Silo.Http;

/// <summary>Sessions under <c>/v1/projects/{project}/sessions/{name}</c>: open, info, add/get/delete docs, doc count, query, push.</summary>
internal static class SessionEndpoints
{
    public static void MapSessions(this RouteGroupBuilder project)
    {
        var session = project.MapGroup("/sessions/{name}")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        session.MapPut("", OpenAsync).Body<OpenSessionBody>(optional: true).Answers<SessionInfo>();
        session.MapGet("", InfoAsync).Answers<SessionInfo>();
        session.MapPost("/docs", AddDocsAsync).Body<AddDocsBody>().Answers<AddDocsAnswer>();
        session.MapGet("/docs", GetDocsAsync).Answers<DocsAnswer>();
        session.MapPost("/docs/delete", DeleteDocsAsync).Body<DocIdsBody>().Answers<DeleteDocsAnswer>();
        session.MapGet("/doc_count", DocCountAsync).Answers<DocCountAnswer>();
        session.MapPost("/query", QueryAsync).Body<QueryBody>().Answers<SearchResult>();
        session.MapPost("/push", PushAsync).Answers<PushResult>();
    }

    private static async Task<IResult> OpenAsync(string project, string name, HttpRequest request, IMossClient moss, EmbedderCatalog models, CancellationToken cancellationToken)
    {
        var body = await HttpJson.ReadOptionalAsync<OpenSessionBody>(request, cancellationToken);
        models.CheckNamed(body.ModelId, EmbedderCatalog.ModelIdField);
        var session = await moss.SessionAsync(name, new SessionOptions { Project = project, ModelId = body.ModelId, Durability = body.Durability }, cancellationToken);
        return HttpJson.Ok(await session.GetInfoAsync(cancellationToken));
    }

    private static async Task<IResult> InfoAsync(string project, string name, IMossClient moss, CancellationToken cancellationToken) =>
        HttpJson.Ok(await (await ResumeAsync(moss, project, name, cancellationToken)).GetInfoAsync(cancellationToken));

    private static async Task<IResult> AddDocsAsync(string project, string name, HttpRequest request, IMossClient moss, CancellationToken cancellationToken)
    {
        var body = await HttpJson.ReadAsync<AddDocsBody>(request, cancellationToken);
        if (body.ModelId is not null)
        {
            throw ProblemMapping.InvalidField("model_id", "model_id is chosen when the session opens (PUT the session), not per batch.");
        }

        var session = await ResumeAsync(moss, project, name, cancellationToken);
        using var idempotency = IdempotencyHeader.Scope(request);
        var (added, updated) = await session.AddDocsAsync(DocumentBody.ToEngine(body.Docs), new MutationOptions { Upsert = body.Upsert }, cancellationToken);
        return HttpJson.Ok(new AddDocsAnswer(added, updated));
    }

    private static async Task<IResult> GetDocsAsync(
        string project,
        string name,
        [FromQuery(Name = "id")] string[]? ids,
        [FromQuery(Name = "include_embeddings")] bool? includeEmbeddings,
        IMossClient moss,
        CancellationToken cancellationToken)
    {
        var session = await ResumeAsync(moss, project, name, cancellationToken);
        var options = new GetDocumentsOptions { DocIds = ids is { Length: > 0 } ? ids : null, IncludeEmbeddings = includeEmbeddings ?? false };
        return HttpJson.Ok(new DocsAnswer(await session.GetDocsAsync(options, cancellationToken)));
    }

    private static async Task<IResult> DeleteDocsAsync(string project, string name, HttpRequest request, IMossClient moss, CancellationToken cancellationToken)
    {
        var body = await HttpJson.ReadAsync<DocIdsBody>(request, cancellationToken);
        var session = await ResumeAsync(moss, project, name, cancellationToken);
        using var idempotency = IdempotencyHeader.Scope(request);
        return HttpJson.Ok(new DeleteDocsAnswer(await session.DeleteDocsAsync(body.DocIds, cancellationToken)));
    }

    private static async Task<IResult> DocCountAsync(string project, string name, IMossClient moss, CancellationToken cancellationToken) =>
        HttpJson.Ok(new DocCountAnswer(await (await ResumeAsync(moss, project, name, cancellationToken)).GetDocCountAsync(cancellationToken)));

    private static async Task<IResult> QueryAsync(string project, string name, HttpRequest request, IMossClient moss, CancellationToken cancellationToken)
    {
        var body = await HttpJson.ReadAsync<QueryBody>(request, cancellationToken);
        var session = await ResumeAsync(moss, project, name, cancellationToken);
        return HttpJson.Ok(await session.QueryAsync(body.Query, body.ToOptions(), cancellationToken));
    }

    private static async Task<IResult> PushAsync(string project, string name, HttpRequest request, IMossClient moss, CancellationToken cancellationToken)
    {
        var session = await ResumeAsync(moss, project, name, cancellationToken);
        using var idempotency = IdempotencyHeader.Scope(request);
        return HttpJson.Ok(await session.PushIndexAsync(cancellationToken));
    }

    // Not SessionAsync: its open step takes the session's turn, and a query would wait behind a write being embedded.
    private static Task<IMossSession> ResumeAsync(IMossClient moss, string project, string name, CancellationToken cancellationToken) =>
        moss.ResumeSessionAsync(name, project, cancellationToken);
}
