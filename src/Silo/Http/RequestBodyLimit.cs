using Microsoft.AspNetCore.Http.Metadata;

namespace MossGrains.Silo.Http;

/// <summary>Endpoint metadata: the largest request body the endpoint reads (<c>Moss:Http:MaxRequestBodyBytes</c>); routing applies it to the request once the endpoint is matched.</summary>
internal sealed record RequestBodyLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;
