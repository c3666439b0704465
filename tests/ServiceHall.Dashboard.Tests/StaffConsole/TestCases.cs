using Google.Protobuf.WellKnownTypes;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Tests.StaffConsole;

/// <summary>Case messages as the server sends them.</summary>
internal static class TestCases
{
    /// <summary>10:15 on Monday 9 March 2026 in Jinan.</summary>
    public static readonly DateTimeOffset Received = new(2026, 3, 9, 2, 15, 30, TimeSpan.Zero);

    public static CaseSummary Summary(
        string id,
        CaseState state = CaseState.New,
        string label = "待分派",
        int minutesAfter = 0,
        string departmentCode = "RSJ",
        string departmentName = "区人力资源社会保障局",
        string window = "A05",
        string item = "失业保险金申领",
        RatingLevel level = RatingLevel.Dissatisfied,
        DeadlineStatus contact = DeadlineStatus.OnTrack,
        DeadlineStatus rectification = DeadlineStatus.OnTrack,
        bool escalated = false,
        bool realName = true) => new()
        {
            CaseId = id,
            State = state,
            StateLabel = label,
            Level = level,
            HallCode = "370104-ZWZX",
            DepartmentCode = departmentCode,
            DepartmentName = departmentName,
            WindowCode = window,
            ServiceItemCode = "ITEM-1",
            ServiceItemName = item,
            ReceivedAt = Timestamp.FromDateTimeOffset(Received.AddMinutes(minutesAfter)),
            ContactDue = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero)), // 17:00 local
            RectificationDue = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 3, 16, 9, 0, 0, TimeSpan.Zero)),
            ContactStatus = contact,
            RectificationStatus = rectification,
            RealName = realName,
            Escalated = escalated,
        };

    public static GetCaseResponse File(CaseSummary summary, IEnumerable<string> allowed, string maskedPhone = "138****1234")
    {
        var file = new GetCaseResponse
        {
            Summary = summary,
            Rating = new RatedService
            {
                RatingId = "rating-1",
                Level = summary.Level,
                ReasonTagLabels = { "办事效率低", "态度生硬" },
                Text = "排队两个小时，窗口人员态度不好。",
                RatedAt = Timestamp.FromDateTimeOffset(Received.AddSeconds(-20)),
                Channel = "政务大厅其他终端",
                MaskedPhone = maskedPhone,
            },
        };
        file.Timeline.Add(new CaseTimelineEntry
        {
            Sequence = 1,
            At = summary.ReceivedAt,
            ActorId = "system",
            ActorRole = "System",
            Action = "立案",
            FromState = CaseState.Unspecified,
            ToState = CaseState.New,
        });
        file.AllowedActions.AddRange(allowed);
        return file;
    }

    /// <summary>The file after a step: the new summary state and one more timeline entry.</summary>
    public static GetCaseResponse After(GetCaseResponse before, CaseState to, string label, string action, string note, IEnumerable<string> allowed)
    {
        var after = before.Clone();
        after.Summary.State = to;
        after.Summary.StateLabel = label;
        after.Timeline.Add(new CaseTimelineEntry
        {
            Sequence = before.Timeline.Count + 1,
            At = Timestamp.FromDateTimeOffset(Received.AddHours(2)),
            ActorId = "rsj-01",
            ActorRole = "DepartmentHandler",
            Action = action,
            FromState = before.Summary.State,
            ToState = to,
            Note = note,
        });
        after.AllowedActions.Clear();
        after.AllowedActions.AddRange(allowed);
        return after;
    }
}
