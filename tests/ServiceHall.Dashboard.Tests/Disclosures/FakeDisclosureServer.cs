using System.Net;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Tests.Disclosures;

/// <summary>
/// An in-process fake of the server's <c>DisclosureService</c> over real h2c on a loopback port: it serves the
/// publications a test adds (header + content JSON) and records what was asked for.
/// </summary>
internal sealed class FakeDisclosureServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeDisclosureServer(WebApplication app, FakeDisclosureService service, FakeAnnualReportService annualReports, GrpcChannel channel)
    {
        _app = app;
        Service = service;
        AnnualReports = annualReports;
        Channel = channel;
    }

    public FakeDisclosureService Service { get; }

    /// <summary>The public annual report of 依申请公开 (DisclosureRequestService's one anonymous read).</summary>
    public FakeAnnualReportService AnnualReports { get; }

    public GrpcChannel Channel { get; }

    public static async Task<FakeDisclosureServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var service = new FakeDisclosureService();
        builder.Services.AddSingleton(service);
        var annualReports = new FakeAnnualReportService();
        builder.Services.AddSingleton(annualReports);
        var app = builder.Build();
        app.MapGrpcService<FakeDisclosureService>();
        app.MapGrpcService<FakeAnnualReportService>();
        await app.StartAsync();
        return new FakeDisclosureServer(app, service, annualReports, GrpcChannel.ForAddress(app.Urls.Single()));
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.DisposeAsync();
    }

    internal sealed class FakeDisclosureService : DisclosureService.DisclosureServiceBase
    {
        private readonly Lock _gate = new();
        private readonly List<(PublicationHeader Header, string Json)> _published = [];

        private readonly List<GetPublicationRequest> _getRequests = [];

        /// <summary>A status every call fails with, if set.</summary>
        public Status? Failure { get; set; }

        /// <summary>How many times the publications were listed (answered or failed).</summary>
        public int ListCalls => Volatile.Read(ref _listCalls);

        private int _listCalls;

        public GetPublicationRequest LastGetRequest()
        {
            lock (_gate)
            {
                return _getRequests.Last();
            }
        }

        public void Publish(string periodKey, string periodLabel, int version, DateTimeOffset publishedAt, string? correction, string json)
        {
            lock (_gate)
            {
                _published.Add((new PublicationHeader
                {
                    PeriodKey = periodKey,
                    PeriodLabel = periodLabel,
                    Version = version,
                    PublishedAt = Timestamp.FromDateTimeOffset(publishedAt),
                    Correction = correction ?? "",
                }, json));
            }
        }

        /// <summary>Adds a version with a header as given (sign-off, withdrawals, headline figures).</summary>
        public void Publish(PublicationHeader header, string json)
        {
            lock (_gate)
            {
                _published.Add((header, json));
            }
        }

        /// <summary>Replaces a version, as a withdrawal does on the server.</summary>
        public void Replace(PublicationHeader header, string json)
        {
            lock (_gate)
            {
                _published.RemoveAll(p => p.Header.PeriodKey == header.PeriodKey && p.Header.Version == header.Version);
                _published.Add((header, json));
            }
        }

        public override Task<ListPublicationsResponse> ListPublications(ListPublicationsRequest request, ServerCallContext context)
        {
            lock (_gate)
            {
                Interlocked.Increment(ref _listCalls);
                ThrowIfFailing();
                var response = new ListPublicationsResponse();
                // Newest first, as the real server lists them.
                response.Publications.AddRange(_published.Select(p => p.Header.Clone()).OrderByDescending(h => h.PublishedAt.ToDateTimeOffset()));
                return Task.FromResult(response);
            }
        }

        public override Task<GetPublicationResponse> GetPublication(GetPublicationRequest request, ServerCallContext context)
        {
            lock (_gate)
            {
                _getRequests.Add(request);
                ThrowIfFailing();
                var versions = _published.Where(p => p.Header.PeriodKey == request.PeriodKey).ToList();
                var found = request.Version == 0
                    ? versions.OrderByDescending(p => p.Header.Version).FirstOrDefault()
                    : versions.FirstOrDefault(p => p.Header.Version == request.Version);
                return found.Header is null
                    ? throw new RpcException(new Status(StatusCode.NotFound, $"publication {request.PeriodKey} v{request.Version}"))
                    : Task.FromResult(new GetPublicationResponse { Header = found.Header.Clone(), ContentJson = found.Json });
            }
        }

        private void ThrowIfFailing()
        {
            if (Failure is { } failure)
            {
                throw new RpcException(failure);
            }
        }
    }

    /// <summary>
    /// Answers GetPublishedDisclosureAnnualReport with the years a test publishes; any other year is refused with
    /// FailedPrecondition, as the server refuses a year that has not ended.
    /// </summary>
    internal sealed class FakeAnnualReportService : DisclosureRequestService.DisclosureRequestServiceBase
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<int, GetDisclosureAnnualReportResponse> _years = [];
        private readonly List<int> _asked = [];

        /// <summary>A status every call fails with, if set.</summary>
        public Status? Failure { get; set; }

        /// <summary>The years asked for, in order.</summary>
        public IReadOnlyList<int> Asked
        {
            get
            {
                lock (_gate)
                {
                    return [.. _asked];
                }
            }
        }

        public void Publish(GetDisclosureAnnualReportResponse report)
        {
            lock (_gate)
            {
                _years[report.Year] = report;
            }
        }

        public override Task<GetDisclosureAnnualReportResponse> GetPublishedDisclosureAnnualReport(
            GetDisclosureAnnualReportRequest request, ServerCallContext context)
        {
            lock (_gate)
            {
                _asked.Add(request.Year);
                if (Failure is { } failure)
                {
                    throw new RpcException(failure);
                }

                return _years.TryGetValue(request.Year, out var report)
                    ? Task.FromResult(report.Clone())
                    : throw new RpcException(new Status(StatusCode.FailedPrecondition, $"{request.Year} 年度尚未结束，年度报告数据尚未公开"));
            }
        }
    }
}
