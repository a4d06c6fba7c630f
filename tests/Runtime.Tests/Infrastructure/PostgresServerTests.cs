using Npgsql;

namespace MossGrains.Runtime.Tests.Infrastructure;

public sealed class PostgresServerTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task The_throw_away_server_runs_PostgreSQL_15_or_later_on_loopback_without_fsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await using var command = dataSource.CreateCommand("SELECT current_setting('server_version_num')::int, current_setting('fsync'), inet_server_addr()::text");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.True(reader.GetInt32(0) >= 150000);
        bool external = Environment.GetEnvironmentVariable("MOSS_TEST_POSTGRES") is { Length: > 0 };
        if (!external)
        {
            Assert.Equal("off", reader.GetString(1));
            Assert.Equal("127.0.0.1/32", reader.GetString(2));
        }
    }
}
