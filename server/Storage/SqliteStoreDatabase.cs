using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ServiceHall.Server.Storage;

/// <summary>The embedded default database: one SQLite file in WAL mode, fsync on every commit, one writer at a time.</summary>
public sealed class SqliteStoreDatabase : StoreDatabase
{
    // The schema version SQLite stores kept in PRAGMA user_version before there was a migrations table; such a store
    // holds migration 1.
    private const int PragmaSchemaVersion = 4;

    private readonly string _connectionString;

    // SQLite has one writer at a time; queueing writers here avoids SQLITE_BUSY retries.
    private readonly SemaphoreSlim _writer = new(1, 1);

    public SqliteStoreDatabase(IOptions<StorageOptions> options, IHostEnvironment environment)
    {
        var path = Path.GetFullPath(options.Value.DatabasePath, environment.ContentRootPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
            ForeignKeys = true,
        }.ToString();
    }

    // SQLite's driver finds each parameter by name in a list, so a statement's cost grows with the square of its
    // parameters; and SQLite runs in this process, so a statement is no round trip. One row per statement, prepared once
    // and executed again and again, is fastest here (measured: 500 rows a statement took ten times longer).
    public override int RowsPerStatement => 1;

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    // Writers are already one at a time (below), and this is the only process on the file.
    public override Task LockAsync(DbConnection connection, DbTransaction transaction, string name, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public override async Task<T> WriteAsync<T>(Func<DbConnection, Task<T>> write, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            return await base.WriteAsync(write, cancellationToken);
        }
        finally
        {
            _writer.Release();
        }
    }

    // WAL lets readers go on while the writer commits; the file keeps the mode, so setting it at start is enough.
    // Synchronous stays at SQLite's default, FULL (fsync on every commit; a test holds it there): a rating acknowledged to
    // a kiosk survives a power cut, and the kiosk then forgets it.
    public override Task BeforeMigrationsAsync(DbConnection connection) => connection.ExecuteAsync("PRAGMA journal_mode = WAL;");

    /// <summary>What a connection of this store reports for a PRAGMA (synchronous, journal_mode…): for checking a deployment.</summary>
    public async Task<string> ReadPragmaAsync(string name)
    {
        if (!name.All(c => char.IsAsciiLetter(c) || c == '_'))
        {
            throw new ArgumentException($"not a pragma name: {name}", nameof(name));
        }

        await using var connection = await OpenAsync(CancellationToken.None);
        return Convert.ToString(await connection.ExecuteScalarAsync($"PRAGMA {name};"), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    public override async Task<int> LegacySchemaVersionAsync(DbConnection connection, DbTransaction transaction)
    {
        var tables = await connection.QueryAsync<string>(
            "SELECT name FROM sqlite_master WHERE type = 'table'", transaction: transaction);
        var names = tables.ToHashSet();
        if (names.Count == 0 || names.Contains("schema_migrations"))
        {
            return 0;
        }

        var version = await connection.ExecuteScalarAsync<long>("PRAGMA user_version;", transaction: transaction);
        return version == PragmaSchemaVersion ? 1 : throw new InvalidOperationException(
            $"The store {connection.DataSource} has schema version {version}, which this server cannot migrate. " +
            "Back it up and start from an empty store (the demo's is server/.data/).");
    }
}
