namespace ServiceHall.Server.Domain;

public enum ScopeKind
{
    District = 1,
    Hall = 2,
    Department = 3,
    Window = 4,
    ServiceItem = 5,
}

/// <summary>What a figure covers: the whole district, or one hall, department, window (hall + code) or service item.</summary>
public sealed record Scope(ScopeKind Kind, string? Code = null, string? HallCode = null)
{
    public static Scope District { get; } = new(ScopeKind.District);

    /// <summary>Whether a case falls within the scope ("谁办理、谁负责": a case counts for its responsible department).</summary>
    public bool Covers(BadReviewCase c) => Kind switch
    {
        ScopeKind.District => true,
        ScopeKind.Hall => c.HallCode == Code,
        ScopeKind.Department => (c.AssignedDepartmentCode ?? c.DepartmentCode) == Code,
        ScopeKind.Window => c.HallCode == HallCode && c.WindowCode == Code,
        ScopeKind.ServiceItem => c.ServiceItemCode == Code,
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, null),
    };

    /// <summary>Whether a rating falls within the scope.</summary>
    public bool Covers(RatingRecord r) => Kind switch
    {
        ScopeKind.District => true,
        ScopeKind.Hall => r.HallCode == Code,
        ScopeKind.Department => r.DepartmentCode == Code,
        ScopeKind.Window => r.HallCode == HallCode && r.WindowCode == Code,
        ScopeKind.ServiceItem => r.ServiceItemCode == Code,
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, null),
    };

    /// <summary>Whether a tally of ratings falls within the scope.</summary>
    public bool Covers(RatingTally t) => Kind switch
    {
        ScopeKind.District => true,
        ScopeKind.Hall => t.HallCode == Code,
        ScopeKind.Department => t.DepartmentCode == Code,
        ScopeKind.Window => t.HallCode == HallCode && t.WindowCode == Code,
        ScopeKind.ServiceItem => t.ServiceItemCode == Code,
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, null),
    };
}
