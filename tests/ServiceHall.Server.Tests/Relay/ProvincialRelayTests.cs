using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Data.Sqlite;
using ServiceHall.ProvinceStub;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Storage;
using ServiceHall.Server.Tests.Grpc;
using RatingLevel = ServiceHall.Protos.V1.RatingLevel;
using RatingSubmission = ServiceHall.Protos.V1.RatingSubmission;
using ServiceTransaction = ServiceHall.Server.Domain.ServiceTransaction;
using TransactionStatus = ServiceHall.Server.Domain.TransactionStatus;

namespace ServiceHall.Server.Tests.Relay;

/// <summary>
/// The upload to the province, end to end: the real server on a real store, its relay sending to the province stub over HTTP.
/// Whatever the stub does, it ends up holding exactly the server's items, each once, in the province's coding.
/// </summary>
public sealed class ProvincialRelayTests : IAsyncLifetime
{
    private ProvinceStubServer _province = null!;

    public async Task InitializeAsync() => _province = await ProvinceStubServer.StartAsync();

    public async Task DisposeAsync() => await _province.DisposeAsync();

    [Theory]
    [InlineData(RatingLevel.VerySatisfied, 1, 5, "非常满意")]
    [InlineData(RatingLevel.Satisfied, 2, 4, "满意")]
    [InlineData(RatingLevel.BasicallySatisfied, 3, 3, "基本满意")]
    [InlineData(RatingLevel.Dissatisfied, 4, 2, "不满意")]
    [InlineData(RatingLevel.VeryDissatisfied, 5, 1, "非常不满意")]
    public async Task Relay_EachLevel_StoredInGbtCodingUploadedInProvincialCoding(RatingLevel level, int gbtCode, int provincialCode, string label)
    {
        using var server = new RelayServer(_province.Endpoint);
        var rating = Rating(level);

        await Submit(server, rating);
        await server.DrainedAsync();

        Assert.Equal(gbtCode, server.Scalar("SELECT level FROM ratings WHERE id = @id", ("id", rating.RatingId)));
        var uploaded = StubAssert.Item(_province.State, "rating:" + rating.RatingId);
        Assert.Equal(provincialCode, uploaded.GetProperty("satisfaction").GetInt32());
        Assert.Equal(label, uploaded.GetProperty("satisfactionName").GetString());
        Assert.Equal(5, uploaded.GetProperty("channel").GetInt32());
        Assert.Equal("370104", uploaded.GetProperty("areaCode").GetString());
        var ratedAt = rating.RatedAt.ToDateTimeOffset().ToOffset(TimeSpan.FromHours(8));
        Assert.Equal(ratedAt.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), uploaded.GetProperty("evaluationTime").GetString());
        StubAssert.HoldsExactly(server.Queued, _province.State);
    }

    [Theory]
    [InlineData(StubFault.Error500)]
    [InlineData(StubFault.Error500AfterStore)]
    [InlineData(StubFault.DropAfterStore)]
    [InlineData(StubFault.Timeout)]
    public async Task Relay_ProvinceFailsEveryOtherCall_HoldsEveryItemOnce(StubFault fault)
    {
        _province.Fail(fault, everyOther: true);
        using var server = new RelayServer(_province.Endpoint);
        var ratings = Enumerable.Range(0, 14).Select(i => Rating(Levels[i % Levels.Length])).ToList();

        foreach (var call in ratings.Chunk(5))
        {
            await Submit(server, call);
        }

        await server.DrainedAsync();

        var queued = server.Queued;
        // The server's side holds what it stored: every rating, and the opening of every 差评's case.
        Assert.Equal(ratings.Select(r => "rating:" + r.RatingId).Order(), queued.Keys.Where(k => k.StartsWith("rating:", StringComparison.Ordinal)).Order());
        Assert.Equal(ratings.Count(r => r.Level is RatingLevel.Dissatisfied or RatingLevel.VeryDissatisfied), queued.Keys.Count(k => k.StartsWith("case:", StringComparison.Ordinal)));
        StubAssert.HoldsExactly(queued, _province.State);
        if (fault is StubFault.Error500AfterStore or StubFault.DropAfterStore)
        {
            // What the province stored but whose answer was lost was sent again, and recognised there.
            Assert.True(_province.State.Duplicates > 0);
        }

        var kind = fault switch
        {
            StubFault.Timeout => "timeout",
            StubFault.DropAfterStore => "network",
            _ => "server_error",
        };
        Assert.True(server.Scalar("SELECT COALESCE(SUM(count), 0) FROM provincial_relay_errors WHERE kind = @kind", ("kind", kind)) > 0);
    }

    [Fact]
    public async Task Relay_CaseSteps_FollowTheirRatingInOrder()
    {
        using var server = new RelayServer(_province.Endpoint);
        var bad = Rating(RatingLevel.VeryDissatisfied);
        await Submit(server, bad);
        var cases = server.Services.GetRequiredService<ICaseStore>();
        var c = (await cases.ListCasesAsync(new CaseQuery([]), CancellationToken.None)).Cases.Single();
        var before = c.Events.Count;
        c.Assign(new Actor("manager-1", CaseRole.HallManager), "XZSP", null, null, DateTimeOffset.UtcNow);
        await cases.SaveCaseAsync(c, before, CancellationToken.None);

        await server.DrainedAsync();

        var order = _province.State.InOrder.Select(d => System.Text.Json.JsonDocument.Parse(d).RootElement.GetProperty("uploadId").GetString()).ToList();
        Assert.Equal(["rating:" + bad.RatingId, $"case:{c.Id}:1", $"case:{c.Id}:2"], order);
        var assigned = StubAssert.Item(_province.State, $"case:{c.Id}:2");
        Assert.Equal("分派", assigned.GetProperty("stepName").GetString());
        Assert.Equal("已分派", assigned.GetProperty("stateName").GetString());
        Assert.Equal("XZSP", assigned.GetProperty("deptCode").GetString());
        StubAssert.HoldsExactly(server.Queued, _province.State);
    }

    [Fact]
    public async Task Relay_NotRated_UploadedWithItsTransaction()
    {
        using var server = new RelayServer(_province.Endpoint);
        var transactions = server.Services.GetRequiredService<ITransactionStore>();
        var now = DateTimeOffset.UtcNow;
        await transactions.AddTransactionAsync(
            new ServiceTransaction(
                "T-RELAY-1", ServerFactory.HallCode, "A01", "11370104MB2851301K000105001000", "XZSP", null, "RELAY1", now, now.AddDays(7),
                TransactionStatus.Offered),
            CancellationToken.None);

        Assert.True(await transactions.MarkNotRatedAsync("T-RELAY-1", CancellationToken.None));
        await server.DrainedAsync();

        var notRated = StubAssert.Item(_province.State, "not-rated:T-RELAY-1");
        Assert.Equal("T-RELAY-1", notRated.GetProperty("projectNo").GetString());
        Assert.Equal("11370104MB2851301K000105001000", notRated.GetProperty("taskCode").GetString());
        StubAssert.HoldsExactly(server.Queued, _province.State);
    }

    [Fact]
    public async Task Relay_WrongSecret_ProvinceRefusesAndNothingCountsAsDelivered()
    {
        using var server = new RelayServer(_province.Endpoint, secret: "a-different-secret-of-at-least-32-characters");
        await Submit(server, Rating(RatingLevel.Satisfied));

        var until = DateTime.UtcNow.AddSeconds(30);
        while (server.Scalar("SELECT COALESCE(SUM(count), 0) FROM provincial_relay_errors WHERE kind = 'signature'") == 0)
        {
            Assert.True(DateTime.UtcNow < until, "no signature failure recorded");
            await Task.Delay(50);
        }

        Assert.Empty(_province.State.Items);
        Assert.Equal(1, server.Pending);
    }

    [Fact]
    public async Task Backfill_OverDeliveredData_ProvinceHoldsEachItemOnce()
    {
        using var server = new RelayServer(_province.Endpoint);
        await Submit(server, Rating(RatingLevel.Satisfied), Rating(RatingLevel.Dissatisfied), Rating(RatingLevel.VerySatisfied));
        await server.DrainedAsync();
        var held = _province.State.Items.Count;

        var again = await server.Services.GetRequiredService<ProvincialUploadQueue>().BackfillAsync(
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), CancellationToken.None);
        await server.DrainedAsync();

        Assert.Equal(held, again);
        Assert.Equal(held, _province.State.Items.Count);
        Assert.Equal(held, _province.State.Duplicates);
        StubAssert.HoldsExactly(server.Queued, _province.State);
    }

    [Fact]
    public async Task Backfill_AfterTheRelayIsSwitchedOn_SendsWhatWasStoredBefore()
    {
        var directory = Directory.CreateTempSubdirectory("servicehall-relay-");
        try
        {
            var ratings = new[] { Rating(RatingLevel.Satisfied), Rating(RatingLevel.VeryDissatisfied) };
            using (var off = new RelayServer(directory, endpoint: null))
            {
                await Submit(off, ratings);
                Assert.Equal(0, off.Scalar("SELECT COUNT(*) FROM provincial_uploads"));
            }

            using var on = new RelayServer(directory, _province.Endpoint);
            var again = await on.Services.GetRequiredService<ProvincialUploadQueue>().BackfillAsync(
                DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), CancellationToken.None);
            await on.DrainedAsync();

            Assert.Equal(3, again);
            Assert.Equal(ratings.Select(r => "rating:" + r.RatingId).Order(), _province.State.Items.Keys.Where(k => k.StartsWith("rating:", StringComparison.Ordinal)).Order());
            Assert.Single(_province.State.Items.Keys, k => k.StartsWith("case:", StringComparison.Ordinal));
            StubAssert.HoldsExactly(on.Queued, _province.State);
        }
        finally
        {
            Cleanup(directory.FullName);
        }
    }

    [Fact]
    public async Task Relay_ServerKilledMidBatch_AnotherStartSendsAgainAndProvinceHoldsEachOnce()
    {
        var directory = Directory.CreateTempSubdirectory("servicehall-relay-");
        try
        {
            // The items are stored while the province is down, so they all wait.
            _province.Fail(StubFault.Error500);
            var ratings = Enumerable.Range(0, 10).Select(i => Rating(Levels[i % Levels.Length])).ToList();
            using (var first = new RelayServer(directory, _province.Endpoint))
            {
                await Submit(first, [.. ratings]);
            }

            // A server process sends; the province stores its first batch and holds the answer; the process is killed then.
            _province.Fail(StubFault.HoldAfterStore, delayMs: 60_000);
            using (var process = StartServerProcess(directory.FullName, _province.Endpoint))
            {
                try
                {
                    var until = DateTime.UtcNow.AddSeconds(90);
                    while (_province.State.Items.Count < RelayServer.BatchSize)
                    {
                        Assert.True(DateTime.UtcNow < until && !process.HasExited, "the server process sent nothing");
                        await Task.Delay(50);
                    }
                }
                finally
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
            }

            SqliteConnection.ClearAllPools();
            // The province holds the killed batch, which the server never marked: it waits again.
            Assert.Equal(RelayServer.BatchSize, _province.State.Items.Count);
            _province.Fail(StubFault.None);
            using var second = new RelayServer(directory, _province.Endpoint);
            Assert.Equal(second.Queued.Count, second.Pending);
            _ = second.Services;
            await second.DrainedAsync();

            StubAssert.HoldsExactly(second.Queued, _province.State);
            Assert.True(_province.State.Duplicates >= RelayServer.BatchSize);
        }
        finally
        {
            Cleanup(directory.FullName);
        }
    }

    [Fact]
    public async Task CommandLine_RelayBackfillAndStatus_AsAnOperatorRunsThem()
    {
        var directory = Directory.CreateTempSubdirectory("servicehall-relay-");
        try
        {
            using (var server = new RelayServer(directory, _province.Endpoint))
            {
                await Submit(server, Rating(RatingLevel.Satisfied), Rating(RatingLevel.Satisfied));
                await server.DrainedAsync();
            }

            var today = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var backfill = await RunServerCommandAsync(directory.FullName, _province.Endpoint, "relay", "backfill", "--from", today, "--to", today);
            var status = await RunServerCommandAsync(directory.FullName, _province.Endpoint, "relay", "status");
            var backwards = await RunServerCommandAsync(directory.FullName, _province.Endpoint, "relay", "backfill", "--from", today, "--to", "2020-01-01");

            Assert.Equal(0, backfill.ExitCode);
            Assert.Contains($"2 items of {today} to {today} wait to be sent again", backfill.Output, StringComparison.Ordinal);
            Assert.Equal(0, status.ExitCode);
            Assert.Matches(@"pending\s+2\b", status.Output);
            Assert.Equal(1, backwards.ExitCode);
            Assert.Contains("to: 截止时间须晚于起始时间", backwards.Output, StringComparison.Ordinal);
        }
        finally
        {
            Cleanup(directory.FullName);
        }
    }

    /// <summary>Runs the server's command line on the store of <paramref name="directory"/>, as an operator would.</summary>
    private static async Task<(int ExitCode, string Output)> RunServerCommandAsync(string directory, string endpoint, params string[] args)
    {
        using var process = StartServerProcess(directory, start => Relayed(start, endpoint), args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output + await error);
    }

    private static readonly RatingLevel[] Levels =
        [RatingLevel.VerySatisfied, RatingLevel.Satisfied, RatingLevel.BasicallySatisfied, RatingLevel.Dissatisfied, RatingLevel.VeryDissatisfied];

    private static RatingSubmission Rating(RatingLevel level)
    {
        var rating = ServerFactory.GoodRating();
        rating.Level = level;
        if (level is RatingLevel.Dissatisfied or RatingLevel.VeryDissatisfied)
        {
            rating.ReasonTagCodes.Add("EFF_LONG_WAIT");
            rating.ReasonTagListVersion = "2026.1";
        }

        return rating;
    }

    private static async Task Submit(ServerFactory server, params RatingSubmission[] ratings)
    {
        var response = await server.CreateRatingClient().SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { ratings } });
        Assert.All(response.Results, r => Assert.Equal(RatingOutcome.Stored, r.Outcome));
    }

    /// <summary>The server as its own process on the store of <paramref name="directory"/>, its relay pointed at the stub.</summary>
    private static Process StartServerProcess(string directory, string endpoint)
    {
        var process = StartServerProcess(directory, start => Relayed(start, endpoint));
        // Drained so the process never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Relayed(ProcessStartInfo start, string endpoint)
    {
        foreach (var (key, value) in RelayServer.Settings(endpoint))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
    }

    /// <summary>The server's executable on the store of <paramref name="directory"/>, with the relay pointed at the stub.</summary>
    private static Process StartServerProcess(string directory, Action<ProcessStartInfo> configure, params string[] args)
    {
        var serverDll = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(serverDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(serverDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Storage__DatabasePath"] = Path.Combine(directory, "servicehall.db");
        start.Environment["Kestrel__Endpoints__Grpc__Url"] = "http://127.0.0.1:0";
        start.Environment["Kestrel__Endpoints__Web__Url"] = "http://127.0.0.1:0";
        if (TestStore.IsPostgres)
        {
            start.Environment["Storage__PostgresConnectionString"] = TestStore.CreatePostgresDatabase(TestStore.DatabaseNameFor(directory));
        }

        configure(start);
        return Process.Start(start)!;
    }

    private static void Cleanup(string directory)
    {
        SqliteConnection.ClearAllPools();
        if (TestStore.IsPostgres)
        {
            TestStore.DropPostgresDatabase(TestStore.DatabaseNameFor(directory));
        }

        Directory.Delete(directory, recursive: true);
    }
}
