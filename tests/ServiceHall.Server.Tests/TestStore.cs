using Microsoft.Data.Sqlite;
using Npgsql;

namespace ServiceHall.Server.Tests;

/// <summary>
/// Which database the server tests run on. SQLite by default; with SERVICEHALL_TEST_STORE=postgres every server test
/// runs on PostgreSQL instead, each server on a fresh database of the cluster SERVICEHALL_TEST_POSTGRES names
/// (`.ci/postgres` starts one and prints it). The README's test command runs the suite both ways.
/// </summary>
public static class TestStore
{
    public static bool IsPostgres =>
        string.Equals(Environment.GetEnvironmentVariable("SERVICEHALL_TEST_STORE"), "postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>The cluster to create test databases in.</summary>
    public static string PostgresAdminConnectionString =>
        Environment.GetEnvironmentVariable("SERVICEHALL_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                "SERVICEHALL_TEST_POSTGRES is not set: start a cluster with `.ci/postgres` and export what it prints");

    /// <summary>A fresh (or, for the same name, the same) PostgreSQL database; returns its connection string.</summary>
    public static string CreatePostgresDatabase(string name)
    {
        using var admin = new NpgsqlConnection(PostgresAdminConnectionString);
        admin.Open();
        using var exists = new NpgsqlCommand("SELECT COUNT(*) FROM pg_database WHERE datname = @name", admin);
        exists.Parameters.AddWithValue("name", name);
        if ((long)exists.ExecuteScalar()! == 0)
        {
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            create.ExecuteNonQuery();
        }

        return new NpgsqlConnectionStringBuilder(PostgresAdminConnectionString) { Database = name }.ConnectionString;
    }

    public static void DropPostgresDatabase(string name)
    {
        NpgsqlConnection.ClearAllPools();
        using var admin = new NpgsqlConnection(PostgresAdminConnectionString);
        admin.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
        drop.ExecuteNonQuery();
    }

    /// <summary>A database name for a test's data folder: the same folder gives the same database.</summary>
    public static string DatabaseNameFor(string directory) =>
        "servicehall_test_" + Path.GetFileName(directory).Replace('-', '_').ToLowerInvariant();

    /// <summary>Runs a statement on whichever database a test server used (to set up what a test needs).</summary>
    public static void Execute(string sqlitePath, string? postgres, string sql)
    {
        using var connection = Open(sqlitePath, postgres, readOnly: false);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Runs a query returning one number, on whichever database a test server used.</summary>
    public static long Scalar(string sqlitePath, string? postgres, string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = Open(sqlitePath, postgres, readOnly: true);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs a query returning two text columns, on whichever database a test server used.</summary>
    public static IReadOnlyList<(string First, string Second)> Rows(string sqlitePath, string? postgres, string sql)
    {
        using var connection = Open(sqlitePath, postgres, readOnly: true);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }

    private static System.Data.Common.DbConnection Open(string sqlitePath, string? postgres, bool readOnly)
    {
        System.Data.Common.DbConnection connection = postgres is null
            ? new SqliteConnection($"Data Source={sqlitePath};{(readOnly ? "Mode=ReadOnly;" : "")}Pooling=False")
            : new NpgsqlConnection(postgres);
        connection.Open();
        return connection;
    }
}
