using Google.Protobuf.WellKnownTypes;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Ratings;
using Proto = ServiceHall.Protos.V1;

namespace ServiceHall.Server.Grpc;

/// <summary>Hand-written mapping between the contract and the domain; the domain never sees proto types.</summary>
internal static class Mapping
{
    public static RatingSubmission ToDomain(this Proto.RatingSubmission r) => new(
        r.RatingId,
        r.TransactionNumber,
        r.HallCode,
        r.WindowCode,
        r.ServiceItemCode,
        r.StaffId,
        r.Channel.ToDomainOrNull(),
        r.Level.ToDomainOrNull(),
        r.ReasonTagCodes.ToList(),
        r.ReasonTagListVersion,
        r.Text,
        r.RatedAt is { } at && IsReadable(at) ? at.ToDateTimeOffset() : null,
        r.CallbackPhone,
        r.DeviceId,
        r.RatedAt is { } sent && !IsReadable(sent) ? "rated_at" : null)
    {
        SystemDefault = r.SystemDefault,
    };

    // The range a Timestamp may hold (0001-01-01 to 9999-12-31, nanos below a second); outside it ToDateTimeOffset
    // throws, which would fail the whole batch instead of this one rating.
    private static bool IsReadable(Timestamp t) =>
        t.Seconds is >= -62_135_596_800 and <= 253_402_300_799 && t.Nanos is >= 0 and <= 999_999_999;

    public static Proto.RatingResult ToProto(this IntakeResult result) => new()
    {
        RatingId = result.RatingId,
        Outcome = result.Outcome switch
        {
            IntakeOutcome.Stored => Proto.RatingOutcome.Stored,
            IntakeOutcome.AlreadyStored => Proto.RatingOutcome.AlreadyStored,
            IntakeOutcome.Rejected => Proto.RatingOutcome.Rejected,
            _ => throw new ArgumentOutOfRangeException(nameof(result), result.Outcome, null),
        },
        Field = result.Rejection?.Field ?? "",
        Reason = result.Rejection?.Reason ?? "",
    };

    public static Proto.GetCatalogResponse ToCatalogResponse(this DistrictCatalog catalog, Hall hall, RatingLimits limits)
    {
        var response = new Proto.GetCatalogResponse
        {
            Hall = new Proto.Hall
            {
                Code = hall.Code,
                Name = hall.Name,
                RegionCode = hall.RegionCode,
                Address = hall.Address,
                OpeningHours = hall.OpeningHours,
                SupervisionPhone = hall.SupervisionPhone,
                NameEn = hall.NameEn ?? "",
                OpeningHoursEn = hall.OpeningHoursEn ?? "",
            },
            ReasonTags = new Proto.ReasonTagList { Version = catalog.ReasonTags.Version },
            RatingRules = new Proto.RatingInputRules
            {
                MaxTextLength = limits.MaxTextLength,
                CallbackPhonePattern = RatingRules.CallbackPhonePattern,
            },
        };
        response.Departments.AddRange(catalog.DepartmentsOf(hall).Select(d => new Proto.Department
        {
            Code = d.Code, Name = d.Name, ShortName = d.ShortName, NameEn = d.NameEn ?? "", ShortNameEn = d.ShortNameEn ?? "",
        }));
        response.Windows.AddRange(hall.Windows.Select(ToProto));
        response.ServiceItems.AddRange(catalog.ServiceItemsOf(hall).Select(i => i.ToProto(hall)));
        response.ReasonTags.Tags.AddRange(catalog.ReasonTags.Tags.Select(t =>
        {
            var tag = new Proto.ReasonTag { Code = t.Code, Label = t.Label, Dimension = t.Dimension, LabelEn = t.LabelEn ?? "", DimensionEn = t.DimensionEn ?? "" };
            tag.Levels.AddRange(t.Levels.Select(l => l.ToProto()));
            return tag;
        }));
        return response;
    }

    private static Proto.ServiceWindow ToProto(ServiceWindow w)
    {
        var window = new Proto.ServiceWindow { Code = w.Code, Name = w.Name, DepartmentCode = w.DepartmentCode, NameEn = w.NameEn ?? "" };
        window.Staff.AddRange(w.Staff.Select(s => new Proto.StaffMember { StaffId = s.StaffId, Name = s.Name, Title = s.Title }));
        return window;
    }

    private static Proto.ServiceItem ToProto(this ServiceItem i, Hall hall)
    {
        var item = new Proto.ServiceItem
        {
            Code = i.Code,
            BasicCode = i.BasicCode,
            Name = i.Name,
            ItemType = i.ItemType,
            DepartmentCode = i.DepartmentCode,
            LegalTimeLimitDays = i.LegalTimeLimitDays,
            PromisedTimeLimitDays = i.PromisedTimeLimitDays,
            Fees = i.Fees,
            Location = i.Location,
            OfficeHours = i.OfficeHours,
            ConsultationPhone = i.ConsultationPhone,
            SupervisionPhone = i.SupervisionPhone,
            OnlineUrl = i.OnlineUrl,
            Theme = i.Theme,
            NameEn = i.NameEn ?? "",
        };
        item.Conditions.AddRange(i.Conditions);
        item.Materials.AddRange(i.Materials.Select(m => new Proto.RequiredMaterial
        {
            Name = m.Name, OriginalCopies = m.OriginalCopies, Photocopies = m.Photocopies, Required = m.Required, Note = m.Note,
        }));
        item.ProcessSteps.AddRange(i.ProcessSteps);
        item.Faq.AddRange(i.Faq.Select(f => new Proto.FaqEntry { Question = f.Question, Answer = f.Answer }));
        item.WindowCodes.AddRange(hall.Windows.Where(w => w.ServiceItemCodes.Contains(i.Code)).Select(w => w.Code));
        return item;
    }

    public static Proto.LiveFigures ToProto(this DayFigures f)
    {
        var figures = new Proto.LiveFigures
        {
            HallCode = f.Hall.Code,
            HallName = f.Hall.Name,
            AsOf = Timestamp.FromDateTimeOffset(f.AsOf),
            Day = f.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            RatingCount = f.Counts.Total,
            GoodCount = f.Counts.Good,
            BadCount = f.Counts.Bad,
            GoodRate = f.Counts.GoodRate,
            BadRate = f.Counts.BadRate,
        };
        figures.LevelCounts.AddRange(RatingLevels.All.Select(f.Counts.Of));
        figures.HourlyCounts.AddRange(f.HourlyCounts);
        figures.Departments.AddRange(f.Departments.Select(d => new Proto.DepartmentFigures
        {
            DepartmentCode = d.Department.Code,
            DepartmentName = d.Department.ShortName,
            RatingCount = d.Counts.Total,
            GoodCount = d.Counts.Good,
            BadCount = d.Counts.Bad,
            GoodRate = d.Counts.GoodRate,
        }));
        return figures;
    }
}
