using System.Text.Json;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Storage;

/// <summary>The 槐荫区 (370104) demo district: its 政务服务中心, a 街道便民服务中心, departments, items and tags.</summary>
public static class DemoDistrict
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static DistrictCatalog Load()
    {
        using var stream = typeof(DemoDistrict).Assembly.GetManifestResourceStream("ServiceHall.Server.demo-district.json")
            ?? throw new InvalidOperationException("the demo district resource is missing from the build");
        return Read(stream);
    }

    /// <summary>
    /// A district catalog in the shape of <c>demo-district.json</c> (region code, departments, halls with their windows,
    /// service items, reason tags): how a district's own catalog is imported (<c>catalog import --file</c>).
    /// </summary>
    public static DistrictCatalog Read(Stream stream)
    {
        var file = JsonSerializer.Deserialize<SeedFile>(stream, Json)
            ?? throw new InvalidInputException("--file", "文件为空");
        if (string.IsNullOrWhiteSpace(file.RegionCode) || file.Departments is not { Count: > 0 } || file.Halls is not { Count: > 0 }
            || file.ServiceItems is null || file.ReasonTags is null)
        {
            throw new InvalidInputException("--file", "须有 regionCode、departments、halls、serviceItems 与 reasonTags");
        }

        var halls = file.Halls.Select(h => new Hall(
            h.Code, h.Name, file.RegionCode, h.Address, h.OpeningHours, h.SupervisionPhone, h.Windows, h.NameEn, h.OpeningHoursEn));
        return new DistrictCatalog(file.RegionCode, file.Departments, halls, file.ServiceItems, file.ReasonTags);
    }

    private sealed record SeedFile(
        string RegionCode, List<Department> Departments, List<SeedHall> Halls, List<ServiceItem> ServiceItems,
        ReasonTagList ReasonTags);

    private sealed record SeedHall(
        string Code, string Name, string Address, string OpeningHours, string SupervisionPhone, List<ServiceWindow> Windows,
        string? NameEn = null, string? OpeningHoursEn = null);
}
