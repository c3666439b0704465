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
        var file = JsonSerializer.Deserialize<SeedFile>(stream, Json)
            ?? throw new InvalidOperationException("the demo district resource is empty");
        var halls = file.Halls.Select(h => new Hall(
            h.Code, h.Name, file.RegionCode, h.Address, h.OpeningHours, h.SupervisionPhone, h.Windows));
        return new DistrictCatalog(file.RegionCode, file.Departments, halls, file.ServiceItems, file.ReasonTags);
    }

    private sealed record SeedFile(
        string RegionCode, List<Department> Departments, List<SeedHall> Halls, List<ServiceItem> ServiceItems,
        ReasonTagList ReasonTags);

    private sealed record SeedHall(
        string Code, string Name, string Address, string OpeningHours, string SupervisionPhone, List<ServiceWindow> Windows);
}
