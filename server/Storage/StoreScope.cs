using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Storage;

/// <summary>
/// <see cref="Scope.Covers(BadReviewCase)"/> and <see cref="Scope.Covers(RatingRecord)"/> as SQL conditions, for queries
/// that filter in the database: " AND …" over @Code and @HallCode. The one SQL copy of the scope rule; the contract
/// tests hold it to the C# one.
/// </summary>
internal static class StoreScope
{
    /// <summary>A rating (or a tally of ratings) counts for the hall, department, window and service item it rated.</summary>
    public static string OfRatings(Scope scope, string? alias)
    {
        var a = alias is null ? "" : alias + ".";
        return scope.Kind switch
        {
            ScopeKind.District => "",
            ScopeKind.Hall => $" AND {a}hall_code = @Code",
            ScopeKind.Department => $" AND {a}department_code = @Code",
            ScopeKind.Window => $" AND {a}hall_code = @HallCode AND {a}window_code = @Code",
            ScopeKind.ServiceItem => $" AND {a}service_item_code = @Code",
            _ => throw new ArgumentOutOfRangeException(nameof(scope), scope.Kind, null),
        };
    }

    /// <summary>A case counts for its responsible department (谁办理、谁负责): the one assigned, else the one rated.</summary>
    public static string OfCases(Scope scope) => scope.Kind switch
    {
        ScopeKind.Department => " AND " + ResponsibleDepartment + " = @Code",
        _ => OfRatings(scope, alias: null),
    };

    /// <summary>A case's responsible department, as SQL.</summary>
    public const string ResponsibleDepartment = "COALESCE(assigned_department_code, department_code)";
}
