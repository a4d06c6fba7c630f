using Microsoft.AspNetCore.Routing;

namespace MossGrains.Runtime.Hosting;

/// <summary>Adds endpoints to the silo's HTTP/2 application (e.g. the membership probe of PostgreSQL clustering).</summary>
internal interface ISiloEndpointMapper
{
    void Map(IEndpointRouteBuilder endpoints);
}
