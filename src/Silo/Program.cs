using MossGrains.Silo.Hosting;

// The MossGrains silo: configuration (appsettings.json, environment, command line) decides single node or cluster.
var builder = WebApplication.CreateBuilder(args);
builder.UseMossSilo();
var app = builder.Build();
app.MapMossSilo();
await app.RunAsync();
