using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ServiceHall.Server.Live;

/// <summary>The district's time zone. Section "District".</summary>
public sealed class DistrictOptions
{
    public const string Section = "District";

    /// <summary>IANA id; China keeps one zone without daylight saving.</summary>
    [Required]
    public string TimeZone { get; set; } = "Asia/Shanghai";
}

/// <summary>Local time in the district: days, hours and deadlines are local, storage is UTC.</summary>
public sealed class DistrictClock(TimeProvider time, IOptions<DistrictOptions> options)
{
    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);

    public DateTimeOffset Now => TimeZoneInfo.ConvertTime(time.GetUtcNow(), _zone);

    public DateTimeOffset UtcNow => time.GetUtcNow();

    /// <summary>The local calendar day an instant falls on.</summary>
    public DateOnly LocalDay(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, _zone).DateTime);

    /// <summary>[start, end) of a local calendar day as instants.</summary>
    public (DateTimeOffset From, DateTimeOffset To) DayBounds(DateOnly day)
    {
        var start = day.ToDateTime(TimeOnly.MinValue);
        var end = day.AddDays(1).ToDateTime(TimeOnly.MinValue);
        return (new DateTimeOffset(start, _zone.GetUtcOffset(start)), new DateTimeOffset(end, _zone.GetUtcOffset(end)));
    }
}
