using Bunit;
using Google.Protobuf.WellKnownTypes;
using ServiceHall.Dashboard.Components.StaffConsole;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Tests.StaffConsole;

public sealed class ProvincialRelayPageTests : ConsoleTestHost
{
    private async Task SignInAsAsync(StaffRole role)
    {
        Server.Accounts.Account = new StaffAccount { UserName = FakeStaffServer.UserName, DisplayName = "王丽", Role = role };
        await SignInAsync();
    }

    [Fact]
    public async Task Render_Stalled_AlertsAndListsFailuresByKind()
    {
        var at = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 6, 9, 30, 0, TimeSpan.FromHours(8)));
        Relay.Status = new GetRelayStatusResponse
        {
            Enabled = true, EndpointHost = "hcp.province.example", Pending = 318, Stalled = true, StalledAfterMinutes = 10, Delivered = 1200,
            OldestPendingQueuedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(-25)),
            Failures = { new RelayFailureCount { Kind = "timeout", Label = "省平台应答超时", Count = 7, LastAt = at, LastMessage = "no answer within 15 s" } },
        };
        await SignInAsAsync(StaffRole.Auditor);

        var layout = RenderInLayout<ProvincialRelay>();

        layout.WaitForAssertion(() => Assert.NotEmpty(layout.FindAll("[data-testid=relay-stalled]")), Bound);
        Assert.Contains("318 条", Text(layout, "relay-stalled"), StringComparison.Ordinal);
        Assert.Contains("10 分钟", Text(layout, "relay-stalled"), StringComparison.Ordinal);
        Assert.Equal("318 条", Text(layout, "relay-pending"));
        Assert.Equal("25 分钟", Text(layout, "relay-oldest"));
        Assert.Equal("—", Text(layout, "relay-last-success"));
        var timeout = Text(layout, "relay-failure-timeout");
        Assert.Contains("省平台应答超时", timeout, StringComparison.Ordinal);
        Assert.Contains("09:30", timeout, StringComparison.Ordinal);
        Assert.Contains("上报至 hcp.province.example", Text(layout, "relay-summary"), StringComparison.Ordinal);
        // Backfill is the administrator's.
        Assert.Empty(layout.FindAll("[data-testid=relay-backfill]"));
    }

    [Fact]
    public async Task Render_Draining_NoAlert()
    {
        Relay.Status = new GetRelayStatusResponse
        {
            Enabled = true, EndpointHost = "hcp.province.example", Pending = 3, Delivered = 40,
            OldestPendingQueuedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(-2)),
            LastSuccessAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(-1)),
        };
        await SignInAsAsync(StaffRole.Supervisor);

        var layout = RenderInLayout<ProvincialRelay>();

        layout.WaitForAssertion(() => Assert.Equal("3 条", Text(layout, "relay-pending")), Bound);
        Assert.Empty(layout.FindAll("[data-testid=relay-stalled]"));
        Assert.NotEmpty(layout.FindAll("[data-testid=relay-no-failures]"));
    }

    [Fact]
    public async Task Backfill_Administrator_SendsTheLocalDaysBothIncluded()
    {
        await SignInAsAsync(StaffRole.Administrator);
        var layout = RenderInLayout<ProvincialRelay>();
        layout.WaitForAssertion(() => Assert.NotEmpty(layout.FindAll("[data-testid=relay-backfill]")), Bound);

        await ChangeAsync(layout, "#backfill-from", "2026-11-01");
        await ChangeAsync(layout, "#backfill-to", "2026-11-30");
        await layout.Find("[data-testid=relay-backfill]").SubmitAsync();

        layout.WaitForAssertion(() => Assert.NotEmpty(layout.FindAll("[data-testid=relay-backfill-done]")), Bound);
        var sent = Assert.Single(Relay.Backfills);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8)), sent.From.ToDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.FromHours(8)), sent.To.ToDateTimeOffset());
        Assert.Contains("42 条", Text(layout, "relay-backfill-done"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_RelayOff_SaysNothingIsUploaded()
    {
        Relay.Status = new GetRelayStatusResponse { Enabled = false };
        await SignInAsAsync(StaffRole.Administrator);

        var layout = RenderInLayout<ProvincialRelay>();

        layout.WaitForAssertion(() => Assert.Contains("未配置", Text(layout, "relay-summary"), StringComparison.Ordinal), Bound);
        Assert.Empty(layout.FindAll("[data-testid=relay-figures]"));
    }
}
