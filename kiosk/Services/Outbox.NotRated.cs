namespace ServiceHall.Kiosk.Services;

/// <summary>
/// The outbox's third kind of item: a pad's transactions that went unrated, kept until the server has recorded them 未评价
/// (<see cref="NotRatedSender"/> reports them).
/// </summary>
public sealed partial class Outbox
{
    /// <summary>
    /// Keeps, durably, that a pad's transaction went unrated, until the server has recorded it 未评价 (a pad that
    /// loses the server must not lose the record, and must never turn it into a rating). Twice the same number keeps one.
    /// </summary>
    public async Task EnqueueNotRatedAsync(string transactionNumber, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(transactionNumber);
        await UnderGateAsync(async () =>
        {
            using var command = _connection.CreateCommand();
            command.CommandText = """
                INSERT INTO not_rated (transaction_number, enqueued_at) VALUES ($number, $now)
                ON CONFLICT (transaction_number) DO NOTHING
                """;
            command.Parameters.AddWithValue("$number", transactionNumber);
            command.Parameters.AddWithValue("$now", Now());
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
        SignalEnqueued();
    }

    /// <summary>Transactions still to be reported 未评价, oldest first.</summary>
    public Task<IReadOnlyList<string>> GetPendingNotRatedAsync(CancellationToken cancellationToken = default) =>
        UnderGateAsync<IReadOnlyList<string>>(async () =>
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT transaction_number FROM not_rated WHERE done_at IS NULL ORDER BY enqueued_at LIMIT $max";
            command.Parameters.AddWithValue("$max", MaxBatchSize);
            var numbers = new List<string>();
            using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                numbers.Add(reader.GetString(0));
            }
            return numbers;
        }, cancellationToken);

    /// <summary>The server answered for this transaction (recorded 未评价, or it had been rated): nothing more to send.</summary>
    public Task MarkNotRatedDoneAsync(string transactionNumber, CancellationToken cancellationToken = default) =>
        NotRatedUpdateAsync("UPDATE not_rated SET done_at = $now, attempts = attempts + 1 WHERE transaction_number = $number",
            transactionNumber, cancellationToken);

    /// <summary>Counts a failed attempt; the transaction stays pending.</summary>
    public Task RecordNotRatedAttemptAsync(string transactionNumber, CancellationToken cancellationToken = default) =>
        NotRatedUpdateAsync("UPDATE not_rated SET attempts = attempts + 1 WHERE transaction_number = $number",
            transactionNumber, cancellationToken);

    private Task NotRatedUpdateAsync(string sql, string transactionNumber, CancellationToken cancellationToken) =>
        UnderGateAsync(async () =>
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$number", transactionNumber);
            command.Parameters.AddWithValue("$now", Now());
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
}
