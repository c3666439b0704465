using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServiceHall.Dashboard.Components.StaffConsole;
using ServiceHall.Dashboard.Services.Casework;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Tests.StaffConsole;

/// <summary>
/// A bUnit context wired like the dashboard's Program (real session, clients and case stream) against
/// <see cref="FakeStaffServer"/>, with the browser's session storage replaced by memory.
/// </summary>
public abstract class ConsoleTestHost : IAsyncLifetime
{
    protected static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    internal FakeStaffServer Server { get; private set; } = default!;

    protected BunitContext Ctx { get; } = new();

    /// <summary>The fleet the console lists; tests fill it.</summary>
    internal FakeFleet Fleet { get; } = new();

    /// <summary>The review queue the console lists, and the decisions sent; tests fill and read it.</summary>
    internal FakeReviews Reviews { get; } = new();

    /// <summary>The provincial upload's state the console shows, and the backfills sent; tests fill and read it.</summary>
    internal FakeRelay Relay { get; } = new();

    /// <summary>The questions and reports the console lists, and every step and reveal sent; tests fill and read it.</summary>
    internal FakeEnquiries Enquiries { get; } = new();

    internal MemorySessionStore Store { get; } = new();

    protected NavigationManager Navigation => Ctx.Services.GetRequiredService<NavigationManager>();

    protected ConsoleSession Session => Ctx.Services.GetRequiredService<ConsoleSession>();

    public async Task InitializeAsync()
    {
        Server = await FakeStaffServer.StartAsync();
        var services = Ctx.Services;
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(Options.Create(new DashboardOptions()));
        services.AddSingleton(new AccountService.AccountServiceClient(Server.Channel));
        services.AddSingleton(new CaseService.CaseServiceClient(Server.Channel));
        services.AddSingleton(new CatalogService.CatalogServiceClient(Server.Channel));
        services.AddSingleton<IConsoleSessionStore>(Store);
        services.AddScoped<ConsoleSession>();
        services.AddScoped<StaffSignIn>();
        services.AddScoped<CaseClient>();
        services.AddScoped<StatisticsClient>();
        services.AddSingleton<KioskFleetService.KioskFleetServiceClient>(Fleet);
        services.AddScoped<FleetClient>();
        services.AddSingleton<RatingReviewService.RatingReviewServiceClient>(Reviews);
        services.AddScoped<ReviewClient>();
        services.AddSingleton<ProvincialRelayService.ProvincialRelayServiceClient>(Relay);
        services.AddScoped<RelayClient>();
        services.AddScoped<AccountClient>();
        services.AddSingleton<QuestionService.QuestionServiceClient>(Enquiries);
        services.AddScoped<EnquiryClient>();
        services.AddScoped<CaseWatch>();
        services.AddSingleton<HallDirectory>();
        Ctx.SetRendererInfo(new RendererInfo("Server", true));
    }

    public async Task DisposeAsync()
    {
        await Ctx.DisposeAsync();
        await Server.DisposeAsync();
    }

    /// <summary>Signs in through the real path (the fake's AccountService), as the sign-in page does.</summary>
    protected async Task SignInAsync()
    {
        var error = await Ctx.Services.GetRequiredService<StaffSignIn>().SignInAsync(FakeStaffServer.UserName, FakeStaffServer.Password);
        Assert.Null(error);
    }

    /// <summary>A console page inside the console layout, as the router shows it.</summary>
    protected IRenderedComponent<ConsoleLayout> RenderInLayout<TPage>(params (string Name, object Value)[] parameters)
        where TPage : IComponent
    {
        RenderFragment body = builder =>
        {
            builder.OpenComponent<TPage>(0);
            foreach (var (name, value) in parameters)
            {
                builder.AddComponentParameter(1, name, value);
            }

            builder.CloseComponent();
        };
        return Ctx.Render<ConsoleLayout>(p => p.Add(layout => layout.Body, body));
    }

    /// <summary>
    /// Finds the element and fires its event in one step on the renderer: the console re-renders on its own (the
    /// case watch), and an element found before such a render carries a handler that is gone after it.
    /// </summary>
    protected static Task ChangeAsync<T>(IRenderedComponent<T> page, string selector, object value)
        where T : IComponent =>
        page.InvokeAsync(() => page.Find(selector).Change(value));

    /// <inheritdoc cref="ChangeAsync{T}"/>
    protected static Task ClickAsync<T>(IRenderedComponent<T> page, string selector)
        where T : IComponent =>
        page.InvokeAsync(() => page.Find(selector).Click());

    /// <inheritdoc cref="ChangeAsync{T}"/>
    protected static Task SubmitAsync<T>(IRenderedComponent<T> page, string selector)
        where T : IComponent =>
        page.InvokeAsync(() => page.Find(selector).Submit());

    protected static string Text<T>(IRenderedComponent<T> page, string testId)
        where T : IComponent =>
        page.Find($"[data-testid={testId}]").TextContent.Trim();
}

/// <summary>The tab's session storage, in memory.</summary>
internal sealed class MemorySessionStore : IConsoleSessionStore
{
    public ConsoleCredentials? Stored { get; set; }

    public ValueTask<ConsoleCredentials?> LoadAsync() => ValueTask.FromResult(Stored);

    public ValueTask SaveAsync(ConsoleCredentials credentials)
    {
        Stored = credentials;
        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteAsync()
    {
        Stored = null;
        return ValueTask.CompletedTask;
    }
}

/// <summary>A ProvincialRelayService client that answers a set state and keeps the backfills asked for.</summary>
internal sealed class FakeRelay : ProvincialRelayService.ProvincialRelayServiceClient
{
    public GetRelayStatusResponse Status { get; set; } = new() { Enabled = true, EndpointHost = "hcp.province.example" };

    public List<BackfillRelayRequest> Backfills { get; } = [];

    public override Grpc.Core.AsyncUnaryCall<GetRelayStatusResponse> GetRelayStatusAsync(
        GetRelayStatusRequest request, Grpc.Core.Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default) =>
        Answer(Status);

    public override Grpc.Core.AsyncUnaryCall<BackfillRelayResponse> BackfillRelayAsync(
        BackfillRelayRequest request, Grpc.Core.Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        Backfills.Add(request);
        return Answer(new BackfillRelayResponse { Requeued = 42 });
    }

    private static Grpc.Core.AsyncUnaryCall<T> Answer<T>(T response) =>
        new(Task.FromResult(response), Task.FromResult(new Grpc.Core.Metadata()), () => Grpc.Core.Status.DefaultSuccess, () => [], () => { });
}

/// <summary>A KioskFleetService client that answers from a list and keeps the headers it was called with.</summary>
internal sealed class FakeFleet : KioskFleetService.KioskFleetServiceClient
{
    public List<KioskEnrollment> Kiosks { get; } = [];

    public List<string?> AuthorizationHeaders { get; } = [];

    public override Grpc.Core.AsyncUnaryCall<ListKiosksResponse> ListKiosksAsync(
        ListKiosksRequest request, Grpc.Core.Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        AuthorizationHeaders.Add(headers?.GetValue("authorization"));
        var response = new ListKiosksResponse();
        response.Kiosks.AddRange(Kiosks);
        return new Grpc.Core.AsyncUnaryCall<ListKiosksResponse>(
            Task.FromResult(response), Task.FromResult(new Grpc.Core.Metadata()), () => Grpc.Core.Status.DefaultSuccess, () => [], () => { });
    }
}

/// <summary>A RatingReviewService client that answers from a list and removes a rating once decided, as the server does.</summary>
internal sealed class FakeReviews : RatingReviewService.RatingReviewServiceClient
{
    public List<FlaggedRating> Queue { get; } = [];

    public List<DecideFlaggedRatingRequest> Decisions { get; } = [];

    public override Grpc.Core.AsyncUnaryCall<ListFlaggedRatingsResponse> ListFlaggedRatingsAsync(
        ListFlaggedRatingsRequest request, Grpc.Core.Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var response = new ListFlaggedRatingsResponse();
        response.Ratings.AddRange(Queue);
        response.Reasons.Add(new ExclusionReasonOption { Reason = ExclusionReason.Fabricated, Label = "刷评（虚假评价）" });
        response.Reasons.Add(new ExclusionReasonOption { Reason = ExclusionReason.Duplicate, Label = "重复评价" });
        return Answer(response);
    }

    public override Grpc.Core.AsyncUnaryCall<DecideFlaggedRatingResponse> DecideFlaggedRatingAsync(
        DecideFlaggedRatingRequest request, Grpc.Core.Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        Decisions.Add(request);
        Queue.RemoveAll(r => r.RatingId == request.RatingId);
        return Answer(new DecideFlaggedRatingResponse());
    }

    private static Grpc.Core.AsyncUnaryCall<T> Answer<T>(T response) =>
        new(Task.FromResult(response), Task.FromResult(new Grpc.Core.Metadata()), () => Grpc.Core.Status.DefaultSuccess, () => [], () => { });
}
