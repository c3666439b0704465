using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Services;

/// <summary>One published figure as a screen prints it: the value, its numerator and denominator, and the formula.</summary>
public sealed record FigureView(string Code, string Name, string Display, int Numerator, int? Denominator, string Formula)
{
    /// <summary>"19/20" beside a rate; empty for a count.</summary>
    public string Fraction => Denominator is { } d ? $"{Numerator}/{d}" : "";
}

/// <summary>Open and overdue 差评 of one stage.</summary>
public sealed record StageView(string Label, int Open, int Overdue, int DueToday);

/// <summary>How 差评 were handled in one period, or by one department of it.</summary>
public sealed record HandlingSummaryView(
    int Received, int Open, int Overdue, IReadOnlyList<StageView> Stages, IReadOnlyList<FigureView> Rates, double? MedianDaysToContact,
    double? MedianDaysToFeedback)
{
    public FigureView Rate(string code) => Rates.Single(r => r.Code == code);
}

public sealed record DepartmentHandlingView(string Code, string Name, HandlingSummaryView Summary);

public sealed record HandlingPeriodView(string Name, string FirstDay, string LastDay, HandlingSummaryView Total, IReadOnlyList<DepartmentHandlingView> Departments);

/// <summary>One month of the trend: 差评 received and its 按时整改率 (null when the sample is too small).</summary>
public sealed record HandlingMonthView(string Month, int Received, double? RectifiedInTime, string RectifiedInTimeDisplay);

/// <summary>Every open 差评, whenever rated: by stage, overdue and due today.</summary>
public sealed record CaseLoadView(int Open, int Overdue, int DueToday, IReadOnlyList<StageView> Stages);

/// <summary>The handling figures of a hall or the district, as the server streamed them.</summary>
public sealed record HandlingFiguresView(
    string HallCode, string ScopeName, DateTimeOffset AsOf, HandlingPeriodView Today, HandlingPeriodView Month, HandlingPeriodView Year,
    IReadOnlyList<HandlingMonthView> Trend, CaseLoadView OpenNow);

/// <summary>The contract's handling figures as the pages' records (pages never see proto types).</summary>
public static class HandlingFiguresMapping
{
    public const string RectifiedRate = "rectified_rate";
    public const string RectifiedInTimeRate = "rectified_in_time_rate";
    public const string CallbackRate = "callback_rate";
    public const string FixSatisfactionRate = "fix_satisfaction_rate";

    public static HandlingFiguresView ToView(this HandlingFigures f) => new(
        f.HallCode, f.ScopeName, f.AsOf.ToDateTimeOffset(), f.Today.ToView(), f.Month.ToView(), f.Year.ToView(),
        f.Trend.Select(m => new HandlingMonthView(
            m.Month, m.Received, m.RectifiedInTime.HasPercent ? m.RectifiedInTime.Percent : null, m.RectifiedInTime.Display)).ToList(),
        (f.OpenNow ?? new CaseLoad()).ToView());

    public static CaseLoadView ToView(this CaseLoad l) => new(
        l.Open, l.Overdue, l.DueToday, l.Stages.Select(x => new StageView(x.Label, x.Open, x.Overdue, x.DueToday)).ToList());

    public static HandlingPeriodView ToView(this HandlingPeriod p) => new(
        p.Name, p.FirstDay, p.LastDay, p.Total.ToView(),
        p.Departments.Select(d => new DepartmentHandlingView(d.DepartmentCode, d.DepartmentName, d.Summary.ToView())).ToList());

    public static HandlingSummaryView ToView(this HandlingSummary s) => new(
        s.Received, s.Open, s.Overdue,
        s.Stages.Select(x => new StageView(x.Label, x.Open, x.Overdue, x.DueToday)).ToList(),
        s.Rates.Select(ToView).ToList(),
        s.HasMedianDaysToContact ? s.MedianDaysToContact : null,
        s.HasMedianDaysToFeedback ? s.MedianDaysToFeedback : null);

    public static FigureView ToView(this IndicatorFigure i) =>
        new(i.Code, i.Name, i.Display, i.Numerator, i.HasDenominator ? i.Denominator : null, i.Formula);
}
