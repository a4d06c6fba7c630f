using MossGrains.Client;
using MossGrains.Client.Indexes;
using MossGrains.Engine.Session;

namespace MossGrains.Silo.Http;

/// <summary>Loaded indexes under <c>/v1/projects/{project}/indexes</c>: load (or refresh now), unload, info, query, multi-index query.</summary>
internal static class IndexEndpoints
{
    public static void MapIndexes(this RouteGroupBuilder project)
    {
        var indexes = project.MapGroup("/indexes");
        indexes.MapPost("/query", QueryManyAsync).Body<MultiIndexQueryBody>().Answers<MultiIndexSearchResult>();
        indexes.MapPost("/{name}/load", LoadAsync).Body<LoadIndexBody>(optional: true).Answers<IndexInfoAnswer>()
            .Problems(StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity);
        indexes.MapPost("/{name}/unload", UnloadAsync).Produces(StatusCodes.Status204NoContent);
        indexes.MapGet("/{name}", InfoAsync).Answers<IndexInfoAnswer>();
        indexes.MapPost("/{name}/query", QueryAsync).Body<QueryBody>().Answers<SearchResult>();
    }

    private static async Task<IResult> LoadAsync(string project, string name, HttpRequest request, IMossClient moss, CancellationToken cancellationToken)
    {
        var body = await HttpJson.ReadOptionalAsync<LoadIndexBody>(request, cancellationToken);
        return HttpJson.Ok(IndexInfoAnswer.From(await moss.LoadIndexAsync(name, body.ToOptions(project), cancellationToken)));
    }

    private static async Task<IResult> UnloadAsync(string project, string name, IMossClient moss, CancellationToken cancellationToken)
    {
        await moss.UnloadIndexAsync(name, project, cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> InfoAsync(string project, string name, IMossClient moss, CancellationToken cancellationToken) =>
        HttpJson.Ok(IndexInfoAnswer.From(await moss.GetIndexInfoAsync(name, project, cancellationToken)));

    private static async Task<IResult> QueryAsync(string project, string name, HttpRequest request, IMossClient moss, CancellationToken cancellationToken)
    {
        var body = await HttpJson.ReadAsync<QueryBody>(request, cancellationToken);
        return HttpJson.Ok(await moss.QueryIndexAsync(name, body.Query, body.ToOptions(), project, cancellationToken));
    }

    private static async Task<IResult> QueryManyAsync(string project, HttpRequest request, IMossClient moss, CancellationToken cancellationToken)
    {
        var body = await HttpJson.ReadAsync<MultiIndexQueryBody>(request, cancellationToken);
        try
        {
            return HttpJson.Ok(await moss.QueryIndexesAsync(body.Indexes, body.Query, body.ToOptions(), project, cancellationToken));
        }
        catch (ArgumentException e) when (e.ParamName == "names")
        {
            // The client's parameter is the body's "indexes".
            throw ProblemMapping.InvalidField("indexes", e.Message);
        }
    }
}
