using System.Text.Json;

namespace ServiceHall.Bench.Fleet;

/// <summary>
/// What a valid rating may name in the demo district: halls, their windows with items and staff, and the current reason
/// tags. Read from the file the server seeds an empty store with (server/Storage/demo-district.json), so the bench keeps
/// up when the demo catalog changes.
/// </summary>
internal sealed record DemoCatalog(IReadOnlyList<DemoHall> Halls, string ReasonTagListVersion, IReadOnlyList<DemoReasonTag> ReasonTags)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static DemoCatalog Load(string path)
    {
        using var stream = File.OpenRead(path);
        var seed = JsonSerializer.Deserialize<SeedFile>(stream, Json) ?? throw new InvalidDataException($"{path} is empty");
        return new DemoCatalog(seed.Halls, seed.ReasonTags.Version, seed.ReasonTags.Tags);
    }

    public DemoHall Hall(string code) =>
        Halls.FirstOrDefault(h => h.Code == code) ?? throw new InvalidOperationException($"the demo district has no hall {code}");

    private sealed record SeedFile(List<DemoHall> Halls, SeedTags ReasonTags);

    private sealed record SeedTags(string Version, List<DemoReasonTag> Tags);
}

internal sealed record DemoHall(string Code, IReadOnlyList<DemoWindow> Windows);

internal sealed record DemoWindow(string Code, IReadOnlyList<string> ServiceItemCodes, IReadOnlyList<DemoStaff> Staff);

internal sealed record DemoStaff(string StaffId);

/// <summary>A reason tag and the levels (GB/T 39046 codes, 1 = 非常满意 … 5 = 非常不满意) it may go with.</summary>
internal sealed record DemoReasonTag(string Code, IReadOnlyList<int> Levels);
