using ServiceHall.Server.Domain;
using ServiceHall.Server.Live;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Transactions;

/// <summary>
/// 一次一评 at the window: takes finished transactions from the window's business system, invites the window's pad
/// to ask for the rating, records 未评价 when the pad's time runs out, and finds a transaction by its short code for
/// a late rating.
/// </summary>
public sealed class TransactionDesk(
    ITransactionStore store, CatalogSource catalog, CaseTimeLimits limits, ChangeFeed changes,
    TimeProvider time, ILogger<TransactionDesk> logger)
{
    // A citizen who did not rate on site may rate within 5 working days of the transaction (鲁政办发〔2020〕10号).
    private const int LateRatingWorkingDays = 5;

    public async Task<ServiceTransaction> CompleteAsync(
        EnrolledKiosk device, string transactionNumber, string windowCode, string serviceItemCode, string staffId,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(transactionNumber) || transactionNumber.Length > 64)
        {
            throw new InvalidInputException("transaction_number", "须为 1–64 个字符");
        }

        var hall = catalog.FindHall(device.HallCode);
        var window = hall.FindWindow(windowCode) ?? throw new InvalidInputException("window_code", $"大厅 {hall.Code} 没有窗口 {windowCode}");
        var item = catalog.Current.FindServiceItem(serviceItemCode) ?? throw new InvalidInputException("service_item_code", $"未知的事项 {serviceItemCode}");
        if (staffId.Length > 0 && window.Staff.All(s => s.StaffId != staffId))
        {
            throw new InvalidInputException("staff_id", $"窗口 {window.Code} 没有工号 {staffId}");
        }

        var now = time.GetUtcNow();
        var transaction = new ServiceTransaction(
            transactionNumber.Trim(), hall.Code, window.Code, item.Code, item.DepartmentCode, staffId.Length > 0 ? staffId : null,
            ServiceTransaction.NewShortCode(), now, limits.Calendar.AddWorkingDays(now, LateRatingWorkingDays), TransactionStatus.Offered);
        if (!await store.AddTransactionAsync(transaction, cancellationToken))
        {
            throw new AlreadyExistsException($"办件 {transactionNumber} 已报送", "transaction", transactionNumber);
        }

        changes.TransactionCompleted(transaction);
        logger.LogInformation("Transaction {TransactionNumber} finished at window {WindowCode}", transaction.TransactionNumber, window.Code);
        return transaction;
    }

    public async Task RecordNotRatedAsync(EnrolledKiosk device, string transactionNumber, CancellationToken cancellationToken)
    {
        var transaction = await FindOwnAsync(device, transactionNumber, cancellationToken);
        if (transaction.WindowCode != device.WindowCode)
        {
            throw new AccessDeniedException($"{device.OutsideItsJob()}，办件 {transactionNumber} 不是本窗口的");
        }

        if (!await store.MarkNotRatedAsync(transaction.TransactionNumber, cancellationToken) && transaction.Status == TransactionStatus.Rated)
        {
            throw new NotNowException(TransactionRules.AlreadyRated);
        }
    }

    public async Task<ServiceTransaction> FindByShortCodeAsync(EnrolledKiosk device, string shortCode, CancellationToken cancellationToken)
    {
        var code = shortCode.Trim().ToUpperInvariant();
        var transaction = await store.FindTransactionByShortCodeAsync(code, cancellationToken);
        if (transaction is null || transaction.HallCode != device.HallCode)
        {
            throw new NotFoundException("没有找到这个评价码，请核对回执上的评价码", "transaction", code);
        }

        // A pad rates its own window's transactions only (docs/rules/ratings.md#device-kinds).
        if (device.Kind == DeviceKind.WindowPad && transaction.WindowCode != device.WindowCode)
        {
            throw new AccessDeniedException($"{device.OutsideItsJob()}，评价码 {code} 是窗口 {transaction.WindowCode} 的办件");
        }

        return transaction.WhyNotRateable(time.GetUtcNow()) is { } why
            ? throw new NotNowException(why, transaction.Status == TransactionStatus.Rated ? TransactionRules.RatedCondition : null)
            : transaction;
    }

    private async Task<ServiceTransaction> FindOwnAsync(EnrolledKiosk device, string transactionNumber, CancellationToken cancellationToken)
    {
        var transaction = await store.FindTransactionAsync(transactionNumber, cancellationToken);
        return transaction is not null && transaction.HallCode == device.HallCode
            ? transaction
            : throw new NotFoundException($"没有办件 {transactionNumber}", "transaction", transactionNumber);
    }
}
