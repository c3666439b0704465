using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using ServiceHall.Server.Cases;
using ServiceHall.Server.Domain;
using Proto = ServiceHall.Protos.V1;

namespace ServiceHall.Server.Grpc;

/// <summary>Hand-written mapping of the case contract: requests to domain steps, cases to what staff may see.</summary>
internal static class CaseMapping
{
    public static Guid ParseCaseId(string caseId) =>
        Guid.TryParse(caseId, out var id) ? id : throw new InvalidInputException("case_id", "必须是案件编号（UUID）");

    /// <summary>The longest period the handling figures are asked for at once.</summary>
    public const int MaxPeriodDays = 366;

    /// <summary>A run of local days from two "yyyy-MM-dd" fields, first not after last, at most <see cref="MaxPeriodDays"/>.</summary>
    public static (DateOnly From, DateOnly To) ParsePeriod(string fromDay, string toDay)
    {
        static DateOnly Day(string value, string field) =>
            DateOnly.TryParseExact(value, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day)
                ? day
                : throw new InvalidInputException(field, "须为 yyyy-MM-dd 格式的日期");
        var from = Day(fromDay, "from_day");
        var to = Day(toDay, "to_day");
        return to < from || to.DayNumber - from.DayNumber >= MaxPeriodDays
            ? throw new InvalidInputException("to_day", $"须不早于 from_day，且期间不超过 {MaxPeriodDays} 天")
            : (from, to);
    }

    // The states of the stages asked for (HandlingStages.Of is the one rule of which state waits in which stage).
    private static IEnumerable<CaseState> StatesOf(HashSet<HandlingStage> stages) =>
        System.Enum.GetValues<CaseState>().Where(state => HandlingStages.Of(state) is { } stage && stages.Contains(stage));

    public static CaseFilter ToFilter(this Proto.ListCasesRequest r) => new(
        r.States.Where(s => s != Proto.CaseState.Unspecified).Select(s => s.ToDomain())
            .Concat(StatesOf(r.Stages.Where(s => s != Proto.HandlingStage.Unspecified).Select(HandlingMapping.ToDomain).ToHashSet()))
            .ToHashSet(),
        EmptyToNull(r.DepartmentCode),
        EmptyToNull(r.WindowCode),
        r.OverdueOnly,
        r.DueSoonToo,
        r.Limit,
        r.CaseNumber.Length == 0
            ? null
            : CaseNumbers.Normalize(r.CaseNumber) ?? throw new InvalidInputException("case_number", "不是案件编号（例如 差评-20261206-0007）"),
        r.RatingReference.Length == 0
            ? null
            : RatingReferences.IdEndOf(r.RatingReference) ?? throw new InvalidInputException("rating_reference", "不是评价编号（例如 7F3A-2C91）"));

    /// <summary>
    /// The step an ActOnCase request asks for, taken through the case type's catalog (which guards it and reads the
    /// inputs by the names it declares).
    /// </summary>
    public static Action<BadReviewCase, Actor, DateTimeOffset> ToStep(this Proto.ActOnCaseRequest r, CaseTimeLimits limits)
    {
        if (r.Step.Length == 0)
        {
            throw new InvalidInputException("step", "未指定操作");
        }

        var inputs = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var input in r.Inputs)
        {
            if (string.IsNullOrWhiteSpace(input.Name))
            {
                throw new InvalidInputException("inputs", "每项输入须写明名称");
            }

            if (!inputs.TryAdd(input.Name, [.. input.Values]))
            {
                throw new InvalidInputException(input.Name, "同一输入只能给一次");
            }
        }

        var given = new StepInputs(inputs);
        return (c, by, at) => BadReviewSteps.Catalog.Take(c, r.Step, by, given, new StepContext(at, limits));
    }

    /// <summary>
    /// A case as a queue row shows it; with its <paramref name="rating"/>, also the reason tags and the de-identified
    /// excerpt of the citizen's text (left out when null).
    /// </summary>
    public static Proto.CaseSummary ToSummary(this BadReviewCase c, CaseDeadlineReport deadlines, DistrictCatalog catalog, RatingRecord? rating = null)
    {
        var department = c.AssignedDepartmentCode ?? c.DepartmentCode;
        var summary = new Proto.CaseSummary
        {
            CaseId = c.Id.ToString(),
            CaseNumber = c.CaseNumber ?? "",
            State = c.State.ToProto(),
            StateLabel = c.State.Label(),
            Level = c.Level.ToProto(),
            HallCode = c.HallCode,
            DepartmentCode = department,
            DepartmentName = catalog.FindDepartment(department)?.ShortName ?? department,
            WindowCode = c.WindowCode ?? "",
            WindowName = c.WindowCode is null ? "" : catalog.FindHall(c.HallCode)?.FindWindow(c.WindowCode)?.Name ?? "",
            ServiceItemCode = c.ServiceItemCode ?? "",
            ServiceItemName = c.ServiceItemCode is null ? "" : catalog.FindServiceItem(c.ServiceItemCode)?.Name ?? "",
            ReceivedAt = Timestamp.FromDateTimeOffset(c.ReceivedAt),
            ContactDue = Timestamp.FromDateTimeOffset(c.Deadlines.ContactDue),
            RectificationDue = Timestamp.FromDateTimeOffset(c.Deadlines.RectificationDue),
            ContactStatus = deadlines.Contact.ToProto(),
            RectificationStatus = deadlines.Rectification.ToProto(),
            RealName = c.IsRealName,
            Escalated = c.IsEscalated,
            AssignedHandlerId = c.AssignedHandlerId ?? "",
            TextExcerpt = CaseExcerpt.Of(rating?.Text),
        };
        if (rating is not null)
        {
            summary.ReasonTagLabels.AddRange(ReasonLabels(rating, catalog));
        }

        return summary;
    }

    private static IEnumerable<string> ReasonLabels(RatingRecord rating, DistrictCatalog catalog) =>
        rating.ReasonTagCodes.Select(code => catalog.ReasonTags.Find(code)?.Label ?? code);

    public static Proto.GetCaseResponse ToProto(this CaseView view, DistrictCatalog catalog)
    {
        var response = new Proto.GetCaseResponse { Summary = view.Case.ToSummary(view.Deadlines, catalog, view.Rating) };
        if (view.Rating is { } rating)
        {
            string Shown(string? text) => text is null or "" ? "" : view.TextDeidentified ? CaseExcerpt.Deidentify(text) : text;
            response.Rating = new Proto.RatedService
            {
                RatingId = rating.RatingId.ToString(),
                Level = rating.Level.ToProto(),
                Text = Shown(rating.Text),
                TextDeidentified = view.TextDeidentified,
                RatedAt = Timestamp.FromDateTimeOffset(rating.RatedAt),
                Channel = rating.Channel.Label(),
                MaskedPhone = view.MaskedPhone ?? "",
                FollowUpText = Shown(view.FollowUp?.Text),
                FollowUpWrittenAt = view.FollowUp is { } followUp ? Timestamp.FromDateTimeOffset(followUp.WrittenAt) : null,
            };
            response.Rating.ReasonTagLabels.AddRange(ReasonLabels(rating, catalog));
        }

        response.Timeline.AddRange(view.Case.Events.Select(e =>
        {
            var entry = new Proto.CaseTimelineEntry
            {
                Sequence = e.Sequence,
                At = Timestamp.FromDateTimeOffset(e.At),
                ActorId = e.By.Id,
                ActorRole = e.By.Role.ToString(),
                Action = e.Call is { } call ? $"{e.Kind.Label()}（{BadReviewSteps.CallOutcomes.LabelOf(call)}）" : e.Kind.Label(),
                ActionCode = e.Kind.ToString(),
                FromState = e.From.ToProto(),
                ToState = e.To.ToProto(),
                Note = e.Note ?? "",
            };
            entry.Evidence.AddRange(e.Evidence);
            return entry;
        }));
        response.AllowedActions.AddRange(view.AllowedSteps.Select(s => s.Name));
        response.EvidenceFiles.AddRange((view.EvidenceFiles ?? []).Select(f => f.ToProto()));
        // The step the stage waits for comes first; the others keep the catalog's order.
        response.AllowedSteps.AddRange(view.AllowedSteps
            .OrderBy(s => BadReviewSteps.Catalog.IsExpected(s, view.Case) ? 0 : 1)
            .Select(s => s.ToOffer(view.Case, view.Context, view.Handlers, BadReviewSteps.Catalog.IsExpected(s, view.Case))));
        return response;
    }

    /// <summary>A step as the console builds its form: the catalog's entry, with what depends on this case now.</summary>
    /// <remarks>
    /// A handler input lists the accounts in <c>handlers</c> (each with its department as the choice's group);
    /// <c>expected</c> says whether the case's stage waits for this step now.
    /// </remarks>
    public static Proto.CaseStepOffer ToOffer<TCase, TState>(
        this CaseStep<TCase, TState> step, TCase c, StepContext context, IReadOnlyList<StaffAccount>? handlers = null, bool expected = false)
        where TCase : IWorkedCase
        where TState : struct, System.Enum
    {
        var offer = new Proto.CaseStepOffer { Name = step.Name, Label = step.Label, HasOwnCall = step.HasOwnCall, Expected = expected };
        offer.Inputs.AddRange(step.Inputs.Select(input =>
        {
            var bounds = step.Describe(c, context, input.Name);
            var field = new Proto.CaseStepInput
            {
                Name = input.Name,
                Label = input.Label,
                Kind = input.Kind.ToProto(),
                Required = input.Required,
                Hint = bounds?.Hint ?? input.Hint ?? "",
                MinDay = bounds?.MinDay is { } min ? Day(min) : "",
                MaxDay = bounds?.MaxDay is { } max ? Day(max) : "",
                MaxLength = input.MaxLength,
                MaxValues = input.MaxValues,
                DefaultValue = bounds?.Default ?? "",
                RequiredWhenInput = input.RequiredWhen?.Input ?? "",
                RequiredWhenValue = input.RequiredWhen?.Value ?? "",
            };
            field.Choices.AddRange(input.Choices.Select(choice => new Proto.StepInputChoice { Value = choice.Value, Label = choice.Label }));
            if (input.Kind == StepInputKind.Handler)
            {
                field.Choices.AddRange((handlers ?? []).Select(h => new Proto.StepInputChoice
                {
                    Value = h.UserName,
                    Label = h.DisplayName,
                    Group = h.DepartmentCode ?? "",
                }));
            }
            return field;
        }));
        return offer;
    }

    public static Proto.CaseState ToProto(this CaseState state) => state switch
    {
        CaseState.New => Proto.CaseState.New,
        CaseState.Assigned => Proto.CaseState.Assigned,
        CaseState.Contacted => Proto.CaseState.Contacted,
        CaseState.FixedAtOnce => Proto.CaseState.FixedAtOnce,
        CaseState.RectifyingByDeadline => Proto.CaseState.RectifyingByDeadline,
        CaseState.Explained => Proto.CaseState.Explained,
        CaseState.Appealed => Proto.CaseState.Appealed,
        CaseState.AppealUpheld => Proto.CaseState.AppealUpheld,
        CaseState.FeedbackGiven => Proto.CaseState.FeedbackGiven,
        CaseState.Closed => Proto.CaseState.Closed,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    /// <summary>A case state of a request (a queue filter); unspecified or unknown values are refused with the field.</summary>
    public static CaseState ToDomain(this Proto.CaseState state) => state switch
    {
        Proto.CaseState.New => CaseState.New,
        Proto.CaseState.Assigned => CaseState.Assigned,
        Proto.CaseState.Contacted => CaseState.Contacted,
        Proto.CaseState.FixedAtOnce => CaseState.FixedAtOnce,
        Proto.CaseState.RectifyingByDeadline => CaseState.RectifyingByDeadline,
        Proto.CaseState.Explained => CaseState.Explained,
        Proto.CaseState.Appealed => CaseState.Appealed,
        Proto.CaseState.AppealUpheld => CaseState.AppealUpheld,
        Proto.CaseState.FeedbackGiven => CaseState.FeedbackGiven,
        Proto.CaseState.Closed => CaseState.Closed,
        _ => throw new InvalidInputException("states", $"未知的案件状态 {state}"),
    };

    public static Proto.DeadlineStatus ToProto(this DeadlineStatus status) => status switch
    {
        DeadlineStatus.OnTrack => Proto.DeadlineStatus.OnTrack,
        DeadlineStatus.DueSoon => Proto.DeadlineStatus.DueSoon,
        DeadlineStatus.Overdue => Proto.DeadlineStatus.Overdue,
        DeadlineStatus.Done => Proto.DeadlineStatus.Done,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static Proto.StepInputKind ToProto(this StepInputKind kind) => kind switch
    {
        StepInputKind.Text => Proto.StepInputKind.Text,
        StepInputKind.LongText => Proto.StepInputKind.LongText,
        StepInputKind.Day => Proto.StepInputKind.Day,
        StepInputKind.Choice => Proto.StepInputKind.Choice,
        StepInputKind.Evidence => Proto.StepInputKind.Evidence,
        StepInputKind.Department => Proto.StepInputKind.Department,
        StepInputKind.StaffId => Proto.StepInputKind.StaffId,
        StepInputKind.Handler => Proto.StepInputKind.Handler,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static Proto.CaseEvidenceFile ToProto(this EvidenceFile file) => new()
    {
        EvidenceId = file.Id.ToString(),
        FileName = file.FileName,
        ContentType = file.ContentType,
        SizeBytes = file.SizeBytes,
        UploadedAt = Timestamp.FromDateTimeOffset(file.UploadedAt),
        UploadedBy = file.UploadedBy,
        Reference = file.Reference,
    };

    public static Proto.StaffAccount ToProto(this StaffAccount account) => new()
    {
        UserName = account.UserName,
        DisplayName = account.DisplayName,
        Role = account.Role.ToProto(),
        DepartmentCode = account.DepartmentCode ?? "",
        HallCode = account.HallCode ?? "",
    };

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string? EmptyToNull(string value) => value.Length == 0 ? null : value;
}
