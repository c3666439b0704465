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
                RatingId = "0193a6f0-7c2e-7d41-9b3a-5e2f7f3a2c91",
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
        AllowSteps(file, allowed);
        return file;
    }

    /// <summary>Offers the named steps as the server's catalog declares them (only those these tests use).</summary>
    private static void AllowSteps(GetCaseResponse file, IEnumerable<string> allowed)
    {
        file.AllowedActions.Clear();
        file.AllowedSteps.Clear();
        foreach (var name in allowed)
        {
            file.AllowedActions.Add(name);
            file.AllowedSteps.Add(Offer(name));
        }
    }

    private static CaseStepInput Input(string name, string label, StepInputKind kind = StepInputKind.LongText, bool required = true) =>
        new() { Name = name, Label = label, Kind = kind, Required = required };

    public static CaseStepOffer Offer(string name)
    {
        var (label, inputs) = name switch
        {
            "assign" => ("分派", new[]
            {
                new CaseStepInput { Name = "department_code", Label = "责任部门", Kind = StepInputKind.Department, Required = true, DefaultValue = "RSJ" },
                new CaseStepInput
                {
                    Name = "handler_id", Label = "经办人", Kind = StepInputKind.Handler, Required = false,
                    Choices =
                    {
                        new StepInputChoice { Value = "rsj-01", Label = "李敏", Group = "RSJ" },
                        new StepInputChoice { Value = "rsj-02", Label = "周强", Group = "RSJ" },
                        new StepInputChoice { Value = "spj-07", Label = "赵娜", Group = "SPJ" },
                    },
                },
                Input("note", "备注", required: false),
            }),
            "record_callback" => ("登记回访", new[]
            {
                new CaseStepInput
                {
                    Name = "outcome", Label = "回访结果", Kind = StepInputKind.Choice, Required = true,
                    Choices = { new StepInputChoice { Value = "reached", Label = "已接通" }, new StepInputChoice { Value = "not_reached", Label = "未接通" }, new StepInputChoice { Value = "refused", Label = "拒绝" } },
                },
                new CaseStepInput
                {
                    Name = "verification", Label = "核实情况", Kind = StepInputKind.LongText, Required = false,
                    RequiredWhenInput = "outcome", RequiredWhenValue = "reached",
                },
                Input("note", "备注", required: false),
            }),
            "fix_at_once" => ("立行立改", [Input("what_was_done", "整改措施"), Input("evidence", "证据", StepInputKind.Evidence, required: false)]),
            "rectify_by_deadline" => ("限期整改", new[]
            {
                Input("reason", "原因"),
                new CaseStepInput
                {
                    Name = "due_day", Label = "整改期限", Kind = StepInputKind.Day, Required = true,
                    Hint = "不晚于办理时限 2026-03-16；更晚请先延长办理时限。", MinDay = "2026-03-09", MaxDay = "2026-03-16",
                },
                Input("ledger_entry", "整改台账"),
            }),
            "explain" => ("解释说明", [Input("legal_basis", "法律政策依据"), Input("explanation", "解释内容")]),
            "appeal" => ("申诉", [Input("grounds", "申诉理由"), Input("evidence", "证据", StepInputKind.Evidence)]),
            "give_feedback" => ("整改反馈", [Input("content", "反馈内容"), Input("evidence", "证据", StepInputKind.Evidence, required: false)]),
            "escalate" => ("督办升级", [Input("note", "督办说明")]),
            "reveal_contact" => ("查看回访号码", [Input("reason", "查看原因")]),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no test offer for this step"),
        };
        var offer = new CaseStepOffer
        {
            Name = name, Label = label, HasOwnCall = name == "reveal_contact", Expected = name is "assign" or "record_callback",
        };
        offer.Inputs.AddRange(inputs);
        return offer;
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
        AllowSteps(after, allowed);
        return after;
    }
}
