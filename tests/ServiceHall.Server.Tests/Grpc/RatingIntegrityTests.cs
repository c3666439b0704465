using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using ServiceHall.Protos.V1;

namespace ServiceHall.Server.Tests.Grpc;

/// <summary>Every field of a rating checked, each rating judged alone, and malformed calls answered and logged cheaply.</summary>
public sealed class RatingIntegrityTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private readonly RatingService.RatingServiceClient _client = factory.CreateRatingClient();

    public static TheoryData<string, Action<RatingSubmission>> BrokenFields => new()
    {
        { "rated_at", r => r.RatedAt = new Timestamp { Seconds = 1_000, Nanos = -1 } },
        { "rated_at", r => r.RatedAt = new Timestamp { Seconds = 1_000, Nanos = 1_000_000_000 } },
        { "rated_at", r => r.RatedAt = new Timestamp { Seconds = long.MaxValue } },
        { "rated_at", r => r.RatedAt = new Timestamp { Seconds = long.MinValue } },
        { "hall_code", r => r.HallCode = new string('H', 10_240) },
        { "window_code", r => r.WindowCode = new string('W', 65) },
        { "service_item_code", r => r.ServiceItemCode = new string('I', 10_240) },
        { "staff_id", r => r.StaffId = new string('S', 65) },
        { "staff_id", r => r.StaffId = "A\0B" },
        { "transaction_number", r => r.TransactionNumber = new string('T', 65) },
        { "reason_tag_list_version", r => r.ReasonTagListVersion = new string('V', 65) },
        { "reason_tag_codes", r => r.ReasonTagCodes.Add(new string('C', 65)) },
        { "reason_tag_codes", r => r.ReasonTagCodes.AddRange(Enumerable.Range(0, 33).Select(i => "T" + i)) },
        { "text", r => r.Text = "差\0评" },
        { "channel", r => r.Channel = (RatingChannel)99 },
    };

    [Theory]
    [MemberData(nameof(BrokenFields))]
    public async Task SubmitRatings_OneBrokenField_ThatRatingRejectedTheOthersStored(string field, Action<RatingSubmission> spoil)
    {
        var before = ServerFactory.GoodRating();
        var broken = ServerFactory.GoodRating();
        spoil(broken);
        var after = ServerFactory.GoodRating();

        var response = await _client.SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { before, broken, after } });

        Assert.Equal([RatingOutcome.Stored, RatingOutcome.Rejected, RatingOutcome.Stored], response.Results.Select(r => r.Outcome));
        Assert.Equal(field, response.Results[1].Field);
        Assert.True(response.Results[1].Reason.Length < 100, "a reason never echoes a long string");
        Assert.Equal(1, factory.CountRatings(before.RatingId));
        Assert.Equal(1, factory.CountRatings(after.RatingId));
    }

    [Fact]
    public async Task SubmitRatings_TenThousandUndecodableCalls_InvalidArgumentNothingStoredAndLittleLogged()
    {
        var log = new CountingLoggerProvider();
        using var server = factory.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(log)));
        var credential = factory.EnrollKiosk("kiosk-malformed", ServerFactory.HallCode);
        var invoker = GrpcChannel.ForAddress(server.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = server.Server.CreateHandler() })
            .CreateCallInvoker();
        var method = new Method<byte[], SubmitRatingsResponse>(
            MethodType.Unary, "servicehall.v1.RatingService", "SubmitRatings",
            Marshallers.Create(b => b, b => b), Marshallers.Create(m => m.ToByteArray(), SubmitRatingsResponse.Parser.ParseFrom));
        var headers = new Metadata { { "authorization", "Bearer " + credential } };
        var ratingsBefore = factory.Scalar("SELECT COUNT(*) FROM ratings");
        log.Reset();

        // A length-delimited field 1 that claims more bytes than follow: no protobuf reader can decode it.
        byte[] garbage = [0x0A, 0xFF, 0x01, 0x42];
        for (var i = 0; i < 10_000; i++)
        {
            var e = await Assert.ThrowsAsync<RpcException>(
                () => invoker.AsyncUnaryCall(method, null, new CallOptions(headers), garbage).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        }

        Assert.Equal(ratingsBefore, factory.Scalar("SELECT COUNT(*) FROM ratings"));
        Assert.True(log.Bytes < 1_000_000, $"10,000 malformed calls logged {log.Bytes} bytes");
        Assert.DoesNotContain(" at ", log.Sample, StringComparison.Ordinal);

        // The server still takes good ratings.
        var good = ServerFactory.GoodRating();
        var client = new RatingService.RatingServiceClient(invoker);
        var ok = await client.SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { good } }, headers);
        Assert.Equal(RatingOutcome.Stored, ok.Results.Single().Outcome);
    }

    /// <summary>Counts what the server logs (message and any exception with its stack trace), keeping a sample.</summary>
    private sealed class CountingLoggerProvider : ILoggerProvider
    {
        private long _bytes;
        private readonly StringBuilder _sample = new();

        public long Bytes => Interlocked.Read(ref _bytes);

        public string Sample
        {
            get
            {
                lock (_sample)
                {
                    return _sample.ToString();
                }
            }
        }

        public void Reset()
        {
            Interlocked.Exchange(ref _bytes, 0);
            lock (_sample)
            {
                _sample.Clear();
            }
        }

        public ILogger CreateLogger(string categoryName) => new Counter(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Counter(CountingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var line = $"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : Environment.NewLine + exception)}";
                Interlocked.Add(ref owner._bytes, Encoding.UTF8.GetByteCount(line) + 1);
                lock (owner._sample)
                {
                    if (owner._sample.Length < 20_000)
                    {
                        owner._sample.AppendLine(line);
                    }
                }
            }
        }
    }
}
