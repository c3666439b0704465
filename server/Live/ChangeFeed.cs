using ServiceHall.Server.Cases;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Live;

/// <summary>
/// Where the server says that something changed: ratings of a hall stored, a case opened or moved, a transaction
/// finished at a window. Streams on this instance hear it at once; other instances on the same database hear it
/// through <see cref="IInstanceAnnouncer"/>.
/// </summary>
public sealed class ChangeFeed(
    LiveFiguresHub figures, Broadcaster<CaseChange> cases, Broadcaster<ServiceTransaction> transactions, IInstanceAnnouncer others)
{
    public void RatingsStored(IReadOnlyCollection<string> hallCodes)
    {
        figures.RatingsStored(hallCodes);
        others.Announce(InstanceNotice.RatingsStored(hallCodes));
    }

    public void CaseChanged(BadReviewCase c, bool opened)
    {
        cases.Publish(new CaseChange(c, opened));
        figures.CasesChanged([c.HallCode]);
        others.Announce(InstanceNotice.CaseChanged(c.Id, opened));
    }

    public void TransactionCompleted(ServiceTransaction transaction)
    {
        transactions.Publish(transaction);
        others.Announce(InstanceNotice.TransactionCompleted(transaction.TransactionNumber));
    }
}

/// <summary>Tells the other server instances on the same database what changed here.</summary>
public interface IInstanceAnnouncer
{
    void Announce(InstanceNotice notice);
}

/// <summary>One server on its own (the embedded SQLite store): there is nobody to tell.</summary>
public sealed class NoOtherInstances : IInstanceAnnouncer
{
    public void Announce(InstanceNotice notice)
    {
    }
}

public enum NoticeKind
{
    RatingsStored,
    CaseChanged,
    TransactionCompleted,
}

/// <summary>
/// What one instance tells the others: only keys (hall codes, a case id, a transaction number), never a rating's content,
/// so nothing about a rater travels this way. The receiver reads what it needs from the database.
/// </summary>
public sealed record InstanceNotice(NoticeKind Kind, IReadOnlyList<string> Keys, bool Opened = false)
{
    public static InstanceNotice RatingsStored(IEnumerable<string> hallCodes) => new(NoticeKind.RatingsStored, hallCodes.ToList());

    public static InstanceNotice CaseChanged(Guid caseId, bool opened) => new(NoticeKind.CaseChanged, [caseId.ToString()], opened);

    public static InstanceNotice TransactionCompleted(string transactionNumber) => new(NoticeKind.TransactionCompleted, [transactionNumber]);
}
