using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Cases;

/// <summary>A case was opened or changed: what the console's live queue hears.</summary>
public sealed record CaseChange(BadReviewCase Case, bool Opened);
