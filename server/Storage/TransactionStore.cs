using System.Data.Common;
using Dapper;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Storage;

/// <summary>Finished transactions reported by the hall's systems, and whether each was rated (一次一评, 未评价).</summary>
public interface ITransactionStore
{
    /// <summary>Adds a finished transaction; false if its number was reported before.</summary>
    Task<bool> AddTransactionAsync(ServiceTransaction transaction, CancellationToken cancellationToken);

    Task<ServiceTransaction?> FindTransactionAsync(string transactionNumber, CancellationToken cancellationToken);

    Task<ServiceTransaction?> FindTransactionByShortCodeAsync(string shortCode, CancellationToken cancellationToken);

    /// <summary>Records 未评价 for a transaction still only offered; false if it is rated (or already not rated).</summary>
    Task<bool> MarkNotRatedAsync(string transactionNumber, CancellationToken cancellationToken);

    /// <summary>Transactions completed in [from, to): how many were offered a rating and how many ended 未评价.</summary>
    Task<(int Offered, int NotRated)> CountTransactionsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}

/// <summary>The transactions in SQL both databases run. A rating marks its transaction rated (<see cref="RatingStore"/>).</summary>
public sealed class TransactionStore(StoreDatabase database, ProvincialUploadQueue? uploads = null) : ITransactionStore
{
    public Task<bool> AddTransactionAsync(ServiceTransaction t, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection => await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO transactions (transaction_number, hall_code, window_code, service_item_code, department_code, staff_id,
                short_code, completed_at_ms, rate_by_ms, status)
            VALUES (@TransactionNumber, @HallCode, @WindowCode, @ServiceItemCode, @DepartmentCode, @StaffId,
                @ShortCode, @CompletedAtMs, @RateByMs, @Status)
            ON CONFLICT (transaction_number) DO NOTHING
            """,
            new
            {
                t.TransactionNumber, t.HallCode, t.WindowCode, t.ServiceItemCode, t.DepartmentCode, t.StaffId, t.ShortCode,
                CompletedAtMs = t.CompletedAt.ToUnixTimeMilliseconds(), RateByMs = t.RateBy.ToUnixTimeMilliseconds(), Status = (int)t.Status,
            },
            cancellationToken: cancellationToken)) == 1, cancellationToken);

    public Task<ServiceTransaction?> FindTransactionAsync(string transactionNumber, CancellationToken cancellationToken) =>
        FindWhereAsync("transaction_number = @Value", transactionNumber, cancellationToken);

    public Task<ServiceTransaction?> FindTransactionByShortCodeAsync(string shortCode, CancellationToken cancellationToken) =>
        FindWhereAsync("short_code = @Value", shortCode, cancellationToken);

    public Task<bool> MarkNotRatedAsync(string transactionNumber, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var marked = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE transactions SET status = @NotRated WHERE transaction_number = @Number AND status = @Offered",
                new { NotRated = (int)TransactionStatus.NotRated, Offered = (int)TransactionStatus.Offered, Number = transactionNumber },
                transaction, cancellationToken: cancellationToken)) == 1;
            if (marked && uploads is not null)
            {
                // 未评价 goes to the province with the mark, in the same transaction (docs/provincial-relay.md#items).
                var notRated = await FindAsync(connection, transaction, transactionNumber, cancellationToken);
                await uploads.AddAsync(connection, transaction, [ProvincialUploads.OfNotRated(notRated!)]);
            }

            await transaction.CommitAsync(cancellationToken);
            return marked;
        }, cancellationToken);

    public async Task<(int Offered, int NotRated)> CountTransactionsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<(long Offered, long? NotRated)>(new CommandDefinition(
            """
            SELECT COUNT(*), SUM(CASE WHEN status = @NotRated THEN 1 ELSE 0 END) FROM transactions
            WHERE completed_at_ms >= @FromMs AND completed_at_ms < @ToMs
            """,
            new { NotRated = (int)TransactionStatus.NotRated, FromMs = from.ToUnixTimeMilliseconds(), ToMs = to.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        return ((int)row.Offered, (int)(row.NotRated ?? 0));
    }

    /// <summary>A transaction read inside a caller's transaction.</summary>
    internal static Task<ServiceTransaction?> FindAsync(
        DbConnection connection, DbTransaction transaction, string transactionNumber, CancellationToken cancellationToken) =>
        FindWhereAsync(connection, transaction, "transaction_number = @Value", transactionNumber, cancellationToken);

    private async Task<ServiceTransaction?> FindWhereAsync(string condition, string value, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await FindWhereAsync(connection, null, condition, value, cancellationToken);
    }

    private static async Task<ServiceTransaction?> FindWhereAsync(
        DbConnection connection, DbTransaction? transaction, string condition, string value, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<TransactionRow>(new CommandDefinition(
            """
            SELECT transaction_number AS TransactionNumber, hall_code AS HallCode, window_code AS WindowCode,
                service_item_code AS ServiceItemCode, department_code AS DepartmentCode, staff_id AS StaffId,
                short_code AS ShortCode, completed_at_ms AS CompletedAtMs, rate_by_ms AS RateByMs, status AS Status
            FROM transactions WHERE
            """ + " " + condition,
            new { Value = value }, transaction, cancellationToken: cancellationToken));
        return row?.ToTransaction();
    }

    private sealed record TransactionRow(
        string TransactionNumber, string HallCode, string WindowCode, string ServiceItemCode, string DepartmentCode, string? StaffId,
        string ShortCode, long CompletedAtMs, long RateByMs, long Status)
    {
        public ServiceTransaction ToTransaction() => new(
            TransactionNumber, HallCode, WindowCode, ServiceItemCode, DepartmentCode, StaffId, ShortCode,
            DateTimeOffset.FromUnixTimeMilliseconds(CompletedAtMs), DateTimeOffset.FromUnixTimeMilliseconds(RateByMs), (TransactionStatus)Status);
    }
}
