using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Storage;

/// <summary>
/// The one seam between the server and its database: <see cref="SqlServiceHallStore"/> in SQL that runs unchanged on
/// SQLite (the embedded default) and PostgreSQL.
/// </summary>
public interface IServiceHallStore
{
    /// <summary>Creates or migrates the schema.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>The stored catalog, or null when the store is empty.</summary>
    Task<DistrictCatalog?> LoadCatalogAsync(CancellationToken cancellationToken);

    Task SaveCatalogAsync(DistrictCatalog catalog, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the ratings, and the cases opened for the 差评 among them, in one transaction: no 差评 is ever stored
    /// without its case, and a rating of a transaction marks it rated. For each rating, in order, whether it was stored
    /// now, was stored before under its id (nothing changes then; its case is not opened again), or rates a transaction
    /// that another rating rated first (not stored: 一次一评).
    /// </summary>
    Task<IReadOnlyList<StoreOutcome>> AddRatingsAsync(
        IReadOnlyList<Rating> ratings, IReadOnlyList<BadReviewCase> cases, CancellationToken cancellationToken);

    Task<BadReviewCase?> FindCaseAsync(Guid caseId, CancellationToken cancellationToken);

    /// <summary>Cases of a hall, newest first; open only, or all.</summary>
    Task<IReadOnlyList<BadReviewCase>> ListCasesAsync(string? hallCode, bool openOnly, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Open cases not escalated yet whose first-contact or rectification deadline has passed at <paramref name="now"/>
    /// (whether the clock still runs for them is the case's to say), oldest first: what the overdue scan looks at.
    /// </summary>
    Task<IReadOnlyList<BadReviewCase>> ListEscalationCandidatesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a case's new state and appends its new events. Throws <see cref="ConcurrentChangeException"/> if the
    /// stored case no longer has <paramref name="eventsBefore"/> events (someone else acted first).
    /// </summary>
    Task SaveCaseAsync(BadReviewCase updated, int eventsBefore, CancellationToken cancellationToken);

    /// <summary>The rater's protected contact of a rating, or null for an anonymous one.</summary>
    Task<string?> FindProtectedContactAsync(Guid ratingId, CancellationToken cancellationToken);

    /// <summary>What a case's rating said: tags, text, time and channel (the rater's identity is not here).</summary>
    Task<RatingRecord?> FindRatingAsync(Guid ratingId, CancellationToken cancellationToken);

    /// <summary>Adds an account; false if the user name is taken.</summary>
    Task<bool> AddAccountAsync(StaffAccount account, CancellationToken cancellationToken);

    Task<StaffAccount?> FindAccountAsync(string userName, CancellationToken cancellationToken);

    Task AddStaffSessionAsync(string tokenHash, Guid accountId, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>The account of an unexpired session, or null.</summary>
    Task<StaffAccount?> FindSessionAccountAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Active ratings of a hall rated in [from, to), counted by department, level and local hour.</summary>
    Task<IReadOnlyList<RatingCountRow>> CountRatingsAsync(
        string hallCode, DateTimeOffset from, DateTimeOffset to, TimeSpan utcOffset, CancellationToken cancellationToken);

    /// <summary>Adds or replaces a kiosk's enrollment (a re-enrollment replaces the credential and clears a revocation).</summary>
    Task SaveKioskAsync(EnrolledKiosk kiosk, CancellationToken cancellationToken);

    Task<EnrolledKiosk?> FindKioskAsync(string deviceId, CancellationToken cancellationToken);

    Task<EnrolledKiosk?> FindKioskByCredentialAsync(string credentialHash, CancellationToken cancellationToken);

    Task<IReadOnlyList<EnrolledKiosk>> ListKiosksAsync(CancellationToken cancellationToken);

    Task RecordHeartbeatAsync(string deviceId, KioskHeartbeat heartbeat, CancellationToken cancellationToken);

    /// <summary>Every 差评 made in [from, to), oldest first.</summary>
    Task<IReadOnlyList<RatingRecord>> ListBadRatingsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>
    /// The ratings made on the district's local days <paramref name="firstDay"/> to <paramref name="lastDay"/> within a
    /// scope, tallied by hall, department, window, service item, channel, level and 主动 (upheld appeals not taken out).
    /// Read from tallies kept as ratings are stored: the cost grows with the days and kinds, not with the ratings.
    /// </summary>
    Task<IReadOnlyList<RatingTally>> TallyRatingsAsync(DateOnly firstDay, DateOnly lastDay, Scope scope, CancellationToken cancellationToken);

    /// <summary>
    /// The case figures of the cases received in [from, to) within a scope, as <see cref="CaseFigures.Of"/> counts them
    /// at <paramref name="asOf"/>, summed in the database from the facts kept beside each case.
    /// </summary>
    Task<CaseFigures> CountCasesAsync(DateTimeOffset from, DateTimeOffset to, Scope scope, DateTimeOffset asOf, CancellationToken cancellationToken);

    /// <summary>
    /// The ratings made in [from, to) within a scope whose 差评 an upheld appeal took out (of cases received in [from, to)
    /// within the scope): what leaves that period's rating figures.
    /// </summary>
    Task<IReadOnlyList<RatingRecord>> ListUpheldRatingsAsync(DateTimeOffset from, DateTimeOffset to, Scope scope, CancellationToken cancellationToken);

    /// <summary>Cases whose rating was received in [from, to).</summary>
    Task<IReadOnlyList<BadReviewCase>> ListCasesReceivedAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Stores a publication; false if that period already has that version. Publications are never updated.</summary>
    Task<bool> AddPublicationAsync(Publication publication, CancellationToken cancellationToken);

    /// <summary>Every version of every publication, newest period first, then newest version first.</summary>
    Task<IReadOnlyList<Publication>> ListPublicationsAsync(CancellationToken cancellationToken);

    /// <summary>Keeps a rating's text out of publications; recorded with who, why and when (kept once per rating).</summary>
    Task HideRatingTextAsync(Guid ratingId, string by, string reason, DateTimeOffset at, CancellationToken cancellationToken);

    Task<IReadOnlySet<Guid>> ListHiddenTextsAsync(CancellationToken cancellationToken);

    /// <summary>Adds a finished transaction; false if its number was reported before.</summary>
    Task<bool> AddTransactionAsync(ServiceTransaction transaction, CancellationToken cancellationToken);

    Task<ServiceTransaction?> FindTransactionAsync(string transactionNumber, CancellationToken cancellationToken);

    Task<ServiceTransaction?> FindTransactionByShortCodeAsync(string shortCode, CancellationToken cancellationToken);

    /// <summary>Records 未评价 for a transaction still only offered; false if it is rated (or already not rated).</summary>
    Task<bool> MarkNotRatedAsync(string transactionNumber, CancellationToken cancellationToken);

    /// <summary>Transactions completed in [from, to): how many were offered a rating and how many ended 未评价.</summary>
    Task<(int Offered, int NotRated)> CountTransactionsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}

public enum StoreOutcome
{
    Stored,
    AlreadyStored,
    TransactionAlreadyRated,
}
