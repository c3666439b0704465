using System.Security.Cryptography;
using Npgsql;

namespace ServiceHall.Bench;

/// <summary>A fresh, empty PostgreSQL database for one run (servicehall_bench_&lt;random&gt;), dropped at the end.</summary>
internal sealed class PostgresScratchDatabase : IAsyncDisposable
{
    private readonly string _adminConnectionString;

    private PostgresScratchDatabase(string adminConnectionString, string name)
    {
        _adminConnectionString = adminConnectionString;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    /// <summary>The given connection string, pointed at the scratch database.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates the database through <paramref name="adminConnectionString"/> (a role allowed to CREATE DATABASE).</summary>
    public static async Task<PostgresScratchDatabase> CreateAsync(string adminConnectionString, CancellationToken cancellationToken)
    {
        var database = new PostgresScratchDatabase(
            adminConnectionString, "servicehall_bench_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        await database.ExecuteAsync($"CREATE DATABASE {database.Name}", cancellationToken);
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        // FORCE: a server that did not stop cleanly must not keep the database alive.
        await ExecuteAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", CancellationToken.None);
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
