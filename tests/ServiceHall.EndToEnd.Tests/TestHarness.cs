using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace ServiceHall.EndToEnd.Tests;

/// <summary>Debian's Chromium as every fixture launches it (TECH-NOTES: no downloads, no background networking).</summary>
internal static class Chromium
{
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
}

/// <summary>Reads an app's SQLite file directly, read-only: what was really stored, not what an RPC says (and, rarely, sets up a state).</summary>
internal static class StoredData
{
    public static long Scalar(string database, string sql)
    {
        using var connection = Open(database);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Writes to the store, for a state a test cannot wait for (a flag the minute-long fraud scan would raise).</summary>
    public static void Execute(string database, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False;Default Timeout=30");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The first column of every row, lower-cased (ids are compared as UUID text).</summary>
    public static HashSet<string> Strings(string database, string sql)
    {
        using var connection = Open(database);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new HashSet<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0).ToLowerInvariant());
        }

        return values;
    }

    private static SqliteConnection Open(string database)
    {
        var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }
}
