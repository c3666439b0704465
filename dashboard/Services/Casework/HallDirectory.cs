using Grpc.Core;
using Microsoft.Extensions.Options;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Services.Casework;

/// <summary>A department of the hall, for the queue's filter and the assign form.</summary>
public sealed record DepartmentOption(string Code, string Name);

/// <summary>A window of the hall, for the queue's filter.</summary>
public sealed record WindowOption(string Code, string Name, string DepartmentCode);

/// <summary>
/// The configured hall's departments and windows from <c>CatalogService.GetCatalog</c>, and its opening hours as the
/// catalog words them (e.g. "周一至周五 上午9:00-12:00 下午13:30-17:00").
/// </summary>
public sealed record HallDirectoryEntries(
    IReadOnlyList<DepartmentOption> Departments, IReadOnlyList<WindowOption> Windows, string OpeningHours = "",
    IReadOnlyList<ServiceItemOption>? ServiceItems = null)
{
    public static HallDirectoryEntries Empty { get; } = new([], []);

    /// <summary>The department's short name; the code itself when the catalog does not name it (or is not read yet).</summary>
    public string DepartmentName(string code) => Departments.FirstOrDefault(d => d.Code == code)?.Name ?? code;

    /// <summary>The service item's name; the code itself when the catalog does not name it.</summary>
    public string ServiceItemName(string code) => (ServiceItems ?? []).FirstOrDefault(i => i.Code == code)?.Name ?? code;
}

/// <summary>A service item of the district, for naming it beside its code.</summary>
public sealed record ServiceItemOption(string Code, string Name);

/// <summary>
/// Reads the hall's departments and windows once and keeps them for every circuit; a failed read is retried on the
/// next request rather than cached, so a console opened while the server starts fills its lists later.
/// </summary>
public sealed class HallDirectory(CatalogService.CatalogServiceClient client, IOptions<DashboardOptions> options, ILogger<HallDirectory> logger)
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(10);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private HallDirectoryEntries? _entries;
    private DateTime _readAt;

    public async Task<HallDirectoryEntries> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_entries is { } fresh && DateTime.UtcNow - _readAt < KeepFor)
        {
            return fresh;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_entries is { } again && DateTime.UtcNow - _readAt < KeepFor)
            {
                return again;
            }

            var catalog = await client.GetCatalogAsync(
                new GetCatalogRequest { HallCode = options.Value.HallCode },
                deadline: DateTime.UtcNow + CaseClient.CallTimeout,
                cancellationToken: cancellationToken);
            _entries = new HallDirectoryEntries(
                catalog.Departments.Select(d => new DepartmentOption(d.Code, d.ShortName is { Length: > 0 } s ? s : d.Name)).ToArray(),
                catalog.Windows.Select(w => new WindowOption(w.Code, w.Name, w.DepartmentCode)).ToArray(),
                catalog.Hall?.OpeningHours ?? "",
                catalog.ServiceItems.Select(i => new ServiceItemOption(i.Code, i.Name)).ToArray());
            _readAt = DateTime.UtcNow;
            return _entries;
        }
        catch (RpcException ex)
        {
            logger.LogWarning("Catalog of hall {HallCode} unavailable for the console: {StatusCode} {Detail}", options.Value.HallCode, ex.StatusCode, ex.Status.Detail);
            return _entries ?? HallDirectoryEntries.Empty;
        }
        finally
        {
            _gate.Release();
        }
    }
}
