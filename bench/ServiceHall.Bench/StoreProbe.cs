using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ServiceHall.Bench;

/// <summary>
/// Reads a server's store directly, beside the server: the row count that checks the server's answers, and the
/// full-scan SQL baseline for the indicator queries.
/// </summary>
internal abstract class StoreProbe
{
    // The baseline: a month's, quarter's or year's ratings by level, straight from the ratings table.
    private const string CountByLevelSql =
        "SELECT level, COUNT(*) FROM ratings WHERE rated_at_ms >= @from AND rated_at_ms < @to AND active = 1 GROUP BY level";

    public async Task<long> CountRatingsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM ratings";
        command.CommandTimeout = 600;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Ratings made in [from, to) by level (GB/T 39046 code).</summary>
    public async Task<IReadOnlyDictionary<long, long>> CountByLevelAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = CountByLevelSql;
        command.CommandTimeout = 600;
        AddParameter(command, "from", from.ToUnixTimeMilliseconds());
        AddParameter(command, "to", to.ToUnixTimeMilliseconds());
        var counts = new Dictionary<long, long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetInt64(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    private static void AddParameter(DbCommand command, string name, long value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

/// <summary>The server's SQLite file, opened read-only while the server writes to it (WAL lets both go on).</summary>
internal sealed class SqliteStoreProbe(string path) : StoreProbe
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadOnly,
        Pooling = false,
    }.ToString();

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}

internal sealed class PostgresStoreProbe(string connectionString) : StoreProbe
{
    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
