using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Tests.Domain;

/// <summary>The annual report's table, computed from requests: each in its year, its column and its outcome row.</summary>
public class DisclosureAnnualTableTests
{
    private static DisclosureRequestFacts Request(ApplicantKind kind, string received, string? concluded = null, DisclosureOutcome? outcome = null) =>
        new(kind, DateOnly.Parse(received, System.Globalization.CultureInfo.InvariantCulture),
            concluded is null ? null : DateOnly.Parse(concluded, System.Globalization.CultureInfo.InvariantCulture), outcome);

    private static readonly DisclosureRequestFacts[] Requests =
    [
        // Received last year, answered this year: carried over, counted under its outcome.
        Request(ApplicantKind.NaturalPerson, "2025-12-20", "2026-01-10", DisclosureOutcome.Disclosed),
        // Received last year, answered last year: nowhere this year.
        Request(ApplicantKind.NaturalPerson, "2025-11-02", "2025-11-20", DisclosureOutcome.Disclosed),
        // This year's.
        Request(ApplicantKind.NaturalPerson, "2026-10-12", "2026-12-01", DisclosureOutcome.PartlyDisclosed),
        Request(ApplicantKind.CommercialEnterprise, "2026-03-02", "2026-03-20", DisclosureOutcome.NotDisclosedThirdPartyRights),
        Request(ApplicantKind.LegalServiceOrganisation, "2026-05-06", "2026-05-25", DisclosureOutcome.NotHandledRepeated),
        Request(ApplicantKind.ResearchInstitution, "2026-06-01", "2026-06-20", DisclosureOutcome.OtherNoSupplement),
        // Received this year, still open at its end: carried forward.
        Request(ApplicantKind.PublicWelfareOrganisation, "2026-12-28"),
        // Received this year, answered next year: carried forward too.
        Request(ApplicantKind.OtherOrganisation, "2026-12-30", "2027-01-15", DisclosureOutcome.CannotProvideNotHeld),
        // Next year's: nowhere this year.
        Request(ApplicantKind.NaturalPerson, "2027-01-04"),
    ];

    private static readonly DisclosureAnnualTable Table = DisclosureAnnualTable.Compute(2026, Requests);

    private static int Cell(AnnualTableRow row, ApplicantKind kind) => row.Counts[DisclosureAnnualTable.ApplicantColumns.ToList().IndexOf(kind)];

    [Fact]
    public void NewAndCarriedOver_ByApplicantKind()
    {
        var fresh = Table.Row(AnnualTableRowKind.NewThisYear);
        var carried = Table.Row(AnnualTableRowKind.CarriedOver);

        Assert.Equal([1, 1, 1, 1, 1, 1, 6], fresh.Counts);
        Assert.Equal([1, 0, 0, 0, 0, 0, 1], carried.Counts);
    }

    [Fact]
    public void EachOutcome_InItsRowAndColumn_InTheYearItWasConcluded()
    {
        Assert.Equal(1, Cell(Table.Row(DisclosureOutcome.Disclosed), ApplicantKind.NaturalPerson));
        Assert.Equal(1, Cell(Table.Row(DisclosureOutcome.PartlyDisclosed), ApplicantKind.NaturalPerson));
        Assert.Equal(1, Cell(Table.Row(DisclosureOutcome.NotDisclosedThirdPartyRights), ApplicantKind.CommercialEnterprise));
        Assert.Equal(1, Cell(Table.Row(DisclosureOutcome.NotHandledRepeated), ApplicantKind.LegalServiceOrganisation));
        Assert.Equal(1, Cell(Table.Row(DisclosureOutcome.OtherNoSupplement), ApplicantKind.ResearchInstitution));
        Assert.Equal(0, Table.Row(DisclosureOutcome.CannotProvideNotHeld).Total);
        Assert.Equal(5, Table.Row(AnnualTableRowKind.Total).Total);
        Assert.Equal(2, Table.Row(AnnualTableRowKind.CarriedForward).Total);
    }

    [Fact]
    public void EveryColumn_NewPlusCarriedOver_IsConcludedPlusCarriedForward()
    {
        for (var column = 0; column < DisclosureAnnualTable.Columns.Count; column++)
        {
            var received = Table.Row(AnnualTableRowKind.NewThisYear).Counts[column] + Table.Row(AnnualTableRowKind.CarriedOver).Counts[column];
            var handled = Table.Row(AnnualTableRowKind.Total).Counts[column] + Table.Row(AnnualTableRowKind.CarriedForward).Counts[column];
            Assert.Equal(received, handled);
        }

        Assert.Equal(Table.Row(AnnualTableRowKind.Total).Counts,
            Enumerable.Range(0, 7).Select(col => Table.Rows.Where(r => r.Kind == AnnualTableRowKind.Outcome).Sum(r => r.Counts[col])));
    }

    [Fact]
    public void Rows_ReadAsThePrintedTable()
    {
        Assert.Equal(2 + 21 + 2, Table.Rows.Count);
        Assert.Equal(["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"], DisclosureAnnualTable.Columns);
        Assert.Equal("（三）不予公开 1.属于国家秘密", DisclosureAnnualTable.RowLabel(DisclosureOutcome.NotDisclosedStateSecret));
        Assert.Equal("（五）不予处理 2.重复申请", DisclosureAnnualTable.RowLabel(DisclosureOutcome.NotHandledRepeated));
        Assert.Equal("（四）无法提供 3.补正后申请内容仍不明确", DisclosureAnnualTable.RowLabel(DisclosureOutcome.CannotProvideStillUnclear));
    }
}
