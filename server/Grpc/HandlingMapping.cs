using Google.Protobuf.WellKnownTypes;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Storage;
using Proto = ServiceHall.Protos.V1;

namespace ServiceHall.Server.Grpc;

/// <summary>The handling figures as the contract carries them.</summary>
public static class HandlingMapping
{
    private static readonly System.Globalization.CultureInfo Invariant = System.Globalization.CultureInfo.InvariantCulture;

    public static Proto.HandlingFigures ToProto(this HandlingFigures f)
    {
        var figures = new Proto.HandlingFigures
        {
            HallCode = f.ScopeCode,
            ScopeName = f.ScopeName,
            AsOf = Timestamp.FromDateTimeOffset(f.AsOf),
            Today = f.Today.ToProto(),
            Month = f.Month.ToProto(),
            Year = f.Year.ToProto(),
            OpenNow = f.OpenNow.ToProto(),
        };
        figures.Trend.AddRange(f.Trend.Select(m => new Proto.HandlingMonth
        {
            Month = $"{m.Year:D4}-{m.Month:D2}",
            Received = m.Received,
            RectifiedInTime = m.RectifiedInTime.ToProto(),
        }));
        return figures;
    }

    public static Proto.HandlingPeriod ToProto(this HandlingPeriod p)
    {
        var period = new Proto.HandlingPeriod
        {
            Name = p.Name,
            FirstDay = p.FirstDay.ToString("yyyy-MM-dd", Invariant),
            LastDay = p.LastDay.ToString("yyyy-MM-dd", Invariant),
            Total = p.Total.ToProto(),
        };
        period.Departments.AddRange(p.Departments.Select(d => new Proto.DepartmentHandling
        {
            DepartmentCode = d.DepartmentCode, DepartmentName = d.DepartmentName, Summary = d.Summary.ToProto(),
        }));
        return period;
    }

    public static Proto.HandlingGroup ToProto(this HandlingGroup g)
    {
        var group = new Proto.HandlingGroup { Key = g.Key, Name = g.Name, Summary = g.Summary.ToProto() };
        if (g.Ratings is { } ratings)
        {
            group.GoodRate = ratings.GoodRate.ToProto();
            group.BadCount = ratings.BadCount;
        }

        return group;
    }

    /// <summary>A breakdown from a client: null for none; a value this server does not know is refused as invalid input.</summary>
    public static HandlingGrouping? ToDomain(Proto.HandlingBreakdown breakdown) => breakdown switch
    {
        Proto.HandlingBreakdown.Unspecified => null,
        Proto.HandlingBreakdown.Department => HandlingGrouping.Department,
        Proto.HandlingBreakdown.Window => HandlingGrouping.Window,
        Proto.HandlingBreakdown.Staff => HandlingGrouping.Staff,
        Proto.HandlingBreakdown.ReasonTag => HandlingGrouping.ReasonTags,
        Proto.HandlingBreakdown.Channel => HandlingGrouping.Channel,
        _ => throw new InvalidInputException("breakdown", "不是可用的统计维度（部门、窗口、工作人员、原因标签、评价渠道）"),
    };

    public static Proto.HandlingSummary ToProto(this HandlingSummary s)
    {
        var summary = new Proto.HandlingSummary { Received = s.Received, Open = s.Open, Overdue = s.Overdue };
        summary.Stages.AddRange(s.Stages.Select(x => new Proto.StageCount
        {
            Stage = x.Stage.ToProto(), Label = x.Label, Open = x.Open, Overdue = x.Overdue,
        }));
        summary.Rates.AddRange(s.Rates.Select(ToProto));
        if (s.MedianDaysToContact is { } contact)
        {
            summary.MedianDaysToContact = contact;
        }

        if (s.MedianDaysToFeedback is { } feedback)
        {
            summary.MedianDaysToFeedback = feedback;
        }

        return summary;
    }

    public static Proto.GetCaseTriageResponse ToProto(this Cases.TriageView t)
    {
        var response = new Proto.GetCaseTriageResponse { AsOf = Timestamp.FromDateTimeOffset(t.AsOf), Total = t.Total.ToProto() };
        response.Departments.AddRange(t.Departments.Select(d => new Proto.DepartmentCaseLoad
        {
            DepartmentCode = d.DepartmentCode, DepartmentName = d.DepartmentName, Load = d.Load.ToProto(),
        }));
        return response;
    }

    public static Proto.CaseLoad ToProto(this CaseLoad l)
    {
        var load = new Proto.CaseLoad { Open = l.Open, Overdue = l.Overdue, DueToday = l.DueToday };
        load.Stages.AddRange(l.Stages.Select(x => new Proto.StageCount
        {
            Stage = x.Stage.ToProto(), Label = x.Label, Open = x.Open, Overdue = x.Overdue, DueToday = x.DueToday,
        }));
        return load;
    }

    /// <summary>One indicator with its formula, numerator and denominator, as a disclosure carries it.</summary>
    public static Proto.IndicatorFigure ToProto(this IndicatorValue v)
    {
        var figure = new Proto.IndicatorFigure
        {
            Code = v.Code, Name = v.Name, Formula = v.Formula, Numerator = v.Numerator, InsufficientSample = v.InsufficientSample, Display = v.Display,
        };
        if (v.Denominator is { } denominator)
        {
            figure.Denominator = denominator;
        }

        if (v.Percent is { } percent)
        {
            figure.Percent = percent;
        }

        return figure;
    }

    /// <summary>A stage from a client; an unknown value is refused as invalid input.</summary>
    public static HandlingStage ToDomain(Proto.HandlingStage stage) => stage switch
    {
        Proto.HandlingStage.AwaitingAssignment => HandlingStage.AwaitingAssignment,
        Proto.HandlingStage.AwaitingCallback => HandlingStage.AwaitingCallback,
        Proto.HandlingStage.Rectifying => HandlingStage.Rectifying,
        Proto.HandlingStage.AwaitingFeedback => HandlingStage.AwaitingFeedback,
        Proto.HandlingStage.AwaitingVerdict => HandlingStage.AwaitingVerdict,
        Proto.HandlingStage.Appeal => HandlingStage.Appeal,
        _ => throw new InvalidInputException("stages", "未知的办理环节"),
    };

    public static Proto.HandlingStage ToProto(this HandlingStage stage) => stage switch
    {
        HandlingStage.AwaitingAssignment => Proto.HandlingStage.AwaitingAssignment,
        HandlingStage.AwaitingCallback => Proto.HandlingStage.AwaitingCallback,
        HandlingStage.Rectifying => Proto.HandlingStage.Rectifying,
        HandlingStage.AwaitingFeedback => Proto.HandlingStage.AwaitingFeedback,
        HandlingStage.AwaitingVerdict => Proto.HandlingStage.AwaitingVerdict,
        HandlingStage.Appeal => Proto.HandlingStage.Appeal,
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, null),
    };
}
