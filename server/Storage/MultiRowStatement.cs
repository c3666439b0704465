using System.Data.Common;
using System.Text;

namespace ServiceHall.Server.Storage;

/// <summary>
/// Writes many rows with few statements: "head VALUES (row), (row), … tail", several rows to a statement, the statement
/// prepared once and executed again for every full set of rows. What a group commit of thousands of ratings needs,
/// where one statement per row would cost a round trip each on PostgreSQL.
/// </summary>
public static class MultiRowStatement
{
    /// <summary>
    /// Runs <paramref name="head"/> (ending in VALUES) with <paramref name="rows"/> and <paramref name="tail"/> (ON CONFLICT …,
    /// RETURNING …). Each row's values bind in order; <paramref name="read"/> sees every row the statements return.
    /// </summary>
    public static async Task RunAsync(
        DbConnection connection, DbTransaction transaction, string head, string tail, IReadOnlyList<object?[]> rows, int rowsPerStatement,
        Action<DbDataReader>? read = null)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var columns = rows[0].Length;
        DbCommand? full = null;
        try
        {
            foreach (var chunk in rows.Chunk(rowsPerStatement))
            {
                // Every full chunk reuses one prepared statement; only a last, shorter chunk gets its own.
                var command = chunk.Length == rowsPerStatement
                    ? full ??= Create(connection, transaction, head, tail, chunk.Length, columns)
                    : Create(connection, transaction, head, tail, chunk.Length, columns);
                var parameter = 0;
                foreach (var row in chunk)
                {
                    foreach (var value in row)
                    {
                        command.Parameters[parameter++].Value = value ?? DBNull.Value;
                    }
                }

                if (read is null)
                {
                    await command.ExecuteNonQueryAsync();
                }
                else
                {
                    await using var reader = await command.ExecuteReaderAsync();
                    while (await reader.ReadAsync())
                    {
                        read(reader);
                    }
                }

                if (command != full)
                {
                    await command.DisposeAsync();
                }
            }
        }
        finally
        {
            if (full is not null)
            {
                await full.DisposeAsync();
            }
        }
    }

    private static DbCommand Create(DbConnection connection, DbTransaction transaction, string head, string tail, int rows, int columns)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder(head).Append(' ');
        for (var row = 0; row < rows; row++)
        {
            sql.Append(row == 0 ? "(" : ", (");
            for (var column = 0; column < columns; column++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = $"@r{row}c{column}";
                command.Parameters.Add(parameter);
                sql.Append(column == 0 ? "" : ", ").Append(parameter.ParameterName);
            }

            sql.Append(')');
        }

        command.CommandText = sql.Append(' ').Append(tail).ToString();
        return command;
    }
}
