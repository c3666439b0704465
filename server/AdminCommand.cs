using ServiceHall.Server.Accounts;
using ServiceHall.Server.Domain;
using ServiceHall.Server.History;
using ServiceHall.Server.Kiosks;
using ServiceHall.Server.Live;
using ServiceHall.Server.Relay;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server;

/// <summary>
/// The command-line steps of a district's IT staff, run on the server against its store (no default password or
/// credential ships):
/// <code>
/// SERVICEHALL_PASSWORD=… ServiceHall.Server accounts add --user NAME [--name 显示名] --role ROLE [--department CODE] [--hall CODE | --district]
/// ServiceHall.Server accounts unlock|disable|enable --user NAME
/// ServiceHall.Server accounts list
/// ServiceHall.Server kiosks enroll --device ID --hall HALL_CODE [--kind terminal|pad|window-system] [--window CODE]
///     (prints the device's credential, once)
/// ServiceHall.Server kiosks revoke --device ID
/// ServiceHall.Server kiosks list
/// ServiceHall.Server history generate --ratings N [--days 90] [--bad-per-mille 2] [--seed 1]   (demo stores only)
/// ServiceHall.Server catalog import --file district.json     (a district's own catalog; creates a district store)
/// ServiceHall.Server store require-demo                      (fails unless the store is a demo store)
/// ServiceHall.Server store rebuild-handling-rollup           (the handling figures' rollup afresh from every case)
/// ServiceHall.Server relay status
/// ServiceHall.Server relay backfill --from 2026-11-01 --to 2026-11-30      (the district's local days, both included)
/// </code>
/// The password comes from the environment, never the command line, where it would show in the process list.
/// </summary>
public static class AdminCommand
{
    private const string Usage =
        """
        usage:
          SERVICEHALL_PASSWORD=... ServiceHall.Server accounts add --user NAME [--name 显示名]
              --role department-handler|hall-manager|supervisor|auditor|administrator|moderator|disclosure-officer
              [--department CODE]
              [--hall HALL_CODE | --district]
              (a hall manager, supervisor or auditor needs one of them: --hall binds it to that hall's cases,
               --district lets it see every hall's; a disclosure officer is district-level and needs --district)
          ServiceHall.Server accounts unlock --user NAME     (lifts a lockout after failed sign-ins)
          ServiceHall.Server accounts disable --user NAME    (its sessions end at once)
          ServiceHall.Server accounts enable --user NAME
          ServiceHall.Server accounts list
          ServiceHall.Server kiosks enroll --device ID --hall HALL_CODE [--kind terminal|pad|window-system] [--window CODE]
              (terminal, the default: a hall kiosk; pad: the rating pad of window --window; window-system: a window's
               business system, which reports finished transactions and cannot rate)
          ServiceHall.Server kiosks revoke --device ID
          ServiceHall.Server kiosks list     (each device's kind, window and hall)
          ServiceHall.Server history generate --ratings N [--days 90] [--bad-per-mille 2] [--seed 1]
              (invents past ratings, for a demo or a benchmark; refused unless the store is a demo store)
          ServiceHall.Server catalog import --file district.json
              (the district's catalog, in the shape of server/Storage/demo-district.json; on an empty store this
               creates the district's store, which demo tools refuse)
          ServiceHall.Server store require-demo
              (exit code 0 on a demo store, 3 with a message on any other: run.sh checks this before its demo steps)
          ServiceHall.Server store rebuild-handling-rollup
              (sums the handling figures' rollup afresh from every stored case: after cases were loaded into the
               database by other means than the server; the server keeps it by itself otherwise)
          ServiceHall.Server relay status
              (the upload to the provincial platform: waiting items, last delivery, failures by kind)
          ServiceHall.Server relay backfill --from YYYY-MM-DD --to YYYY-MM-DD
              (sends the ratings made, and transactions finished, on those local days again — both days included — after
               the province lost data; the province recognises what it holds, so nothing is counted twice)
        """;

    /// <summary>The exit code of a demo tool refused on a store that is not a demo store.</summary>
    public const int NotADemoStore = 3;

    public static bool IsInvoked(string[] args) => args.Length >= 1 && args[0] is "accounts" or "kiosks" or "history" or "catalog" or "store" or "relay";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        try
        {
            if (args is ["catalog", "import", ..])
            {
                return await ImportCatalogAsync(services, Option("--file"));
            }

            if (args is ["store", "require-demo", ..] or ["history", "generate", ..]
                && await services.GetRequiredService<ICatalogStore>().ReadOriginAsync(CancellationToken.None) == StoreOrigin.District)
            {
                // Refused before the store is opened for writing: not even a migration touches a district's store.
                throw new NotADemoStoreException(args[0] == "store" ? "demo setup" : "history generate");
            }

            await services.GetRequiredService<CatalogSource>().LoadAsync(CancellationToken.None);
            switch (args.ElementAtOrDefault(0), args.ElementAtOrDefault(1))
            {
                case ("store", "require-demo"):
                    if (!await services.GetRequiredService<ICatalogStore>().IsDemoStoreAsync(CancellationToken.None))
                    {
                        throw new NotADemoStoreException("demo setup");
                    }

                    Console.WriteLine("demo store");
                    return 0;
                case ("store", "rebuild-handling-rollup"):
                    await ((CaseStore)services.GetRequiredService<ICaseStore>()).RebuildHandlingRollupAsync(CancellationToken.None);
                    Console.WriteLine("handling rollup rebuilt");
                    return 0;
                case ("accounts", "add"):
                    var role = ParseRole(Option("--role"));
                    var password = Environment.GetEnvironmentVariable("SERVICEHALL_PASSWORD");
                    if (Option("--user") is not { } user || role is null || string.IsNullOrEmpty(password))
                    {
                        break;
                    }

                    if (!ScopeIsExplicit(role.Value, Option("--hall"), args.Contains("--district")))
                    {
                        await Console.Error.WriteLineAsync(
                            role == StaffRole.DisclosureOfficer
                                ? "a disclosure officer is district-level: give --district (and no --hall)"
                                : "a hall manager, supervisor or auditor needs --hall HALL_CODE (that hall only) or --district (every hall)");
                        return 1;
                    }

                    var account = await services.GetRequiredService<StaffSignIn>().CreateAccountAsync(
                        user, Option("--name") ?? user, role.Value, Option("--department"), password, CancellationToken.None,
                        Option("--hall"));
                    Console.WriteLine($"account {account.UserName} ({account.Role}) created");
                    return 0;
                case ("accounts", "unlock") when Option("--user") is { } locked:
                    await services.GetRequiredService<AccountAdministration>().UnlockAsync(locked, "command line", CancellationToken.None);
                    Console.WriteLine($"account {locked} unlocked");
                    return 0;
                case ("accounts", "disable" or "enable") when Option("--user") is { } named:
                    var disable = args[1] == "disable";
                    await services.GetRequiredService<AccountAdministration>().SetDisabledAsync(named, disable, "command line", CancellationToken.None);
                    Console.WriteLine($"account {named} {(disable ? "disabled" : "enabled")}");
                    return 0;
                case ("accounts", "list"):
                    foreach (var (a, standing) in await services.GetRequiredService<AccountAdministration>().ListAsync(CancellationToken.None))
                    {
                        var state = standing.IsDisabled ? "disabled" : standing.LockedUntil is { } until && until > DateTimeOffset.UtcNow ? $"locked until {until:O}" : "active";
                        Console.WriteLine($"{a.UserName,-20} {a.Role,-18} {a.HallCode ?? "(district)",-16} {a.DepartmentCode ?? "",-8} {state}");
                    }

                    return 0;
                case ("kiosks", "enroll") when Option("--device") is { } device && Option("--hall") is { } hall
                                                && ParseDeviceKind(Option("--kind")) is { } kind:
                    Console.WriteLine(await services.GetRequiredService<KioskRegistry>().EnrollAsync(
                        device, hall, kind, Option("--window"), CancellationToken.None));
                    return 0;
                case ("kiosks", "list"):
                    foreach (var k in await services.GetRequiredService<KioskRegistry>().ListAsync(CancellationToken.None))
                    {
                        Console.WriteLine(
                            $"{k.DeviceId,-24} {DeviceKindName(k.Kind),-14} {k.WindowCode ?? "",-6} {k.HallCode,-16} {(k.IsRevoked ? "revoked" : "active")}");
                    }

                    return 0;
                case ("history", "generate") when int.TryParse(Option("--ratings"), out var count) && count > 0:
                    var days = int.TryParse(Option("--days"), out var d) ? d : 90;
                    var badPerMille = double.TryParse(Option("--bad-per-mille"), System.Globalization.CultureInfo.InvariantCulture, out var b) ? b : 2;
                    var seed = int.TryParse(Option("--seed"), out var s) ? s : 1;
                    var bad = await services.GetRequiredService<RatingHistory>().GenerateAsync(count, days, badPerMille, seed, CancellationToken.None);
                    Console.WriteLine($"{count} ratings over the last {days} days stored, {bad} of them 差评 with their cases closed");
                    return 0;
                case ("relay", "status"):
                    await PrintRelayStatusAsync(services);
                    return 0;
                case ("relay", "backfill") when Option("--from") is { } fromDay && Option("--to") is { } toDay:
                    var clock = services.GetRequiredService<DistrictClock>();
                    var first = ParseDay(fromDay, "--from");
                    var last = ParseDay(toDay, "--to");
                    var requeued = await services.GetRequiredService<ProvincialRelayDesk>().BackfillAsync(
                        clock.DayBounds(first).From, last < first ? clock.DayBounds(last).From : clock.DayBounds(last).To, "command line",
                        CancellationToken.None);
                    Console.WriteLine($"{requeued} items of {first:yyyy-MM-dd} to {last:yyyy-MM-dd} wait to be sent again");
                    return 0;
                case ("kiosks", "revoke") when Option("--device") is { } device:
                    await services.GetRequiredService<KioskRegistry>().RevokeAsync(device, CancellationToken.None);
                    Console.WriteLine($"kiosk {device} revoked");
                    return 0;
            }
        }
        catch (NotADemoStoreException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return NotADemoStore;
        }
        catch (Exception e) when (e is InvalidInputException or NotFoundException or NotNowException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }

        await Console.Error.WriteLineAsync(Usage);
        return 2;
    }

    private static DateOnly ParseDay(string value, string option) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day)
            ? day
            : throw new InvalidInputException(option, "须为日期 YYYY-MM-DD");

    private static async Task PrintRelayStatusAsync(IServiceProvider services)
    {
        var (status, stalled, host) = await services.GetRequiredService<ProvincialRelayDesk>().StatusAsync(CancellationToken.None);
        if (!status.Enabled)
        {
            Console.WriteLine("relay off (no ProvincialRelay:Endpoint configured)");
            return;
        }

        Console.WriteLine($"endpoint      {host}");
        Console.WriteLine($"pending       {status.Pending}{(status.OldestPendingQueuedAt is { } oldest ? $" (oldest queued {oldest:O})" : "")}");
        Console.WriteLine($"delivered     {status.Delivered}");
        Console.WriteLine($"refused       {status.Refused}");
        Console.WriteLine($"last success  {(status.LastSuccessAt is { } last ? last.ToString("O") : "never")}");
        Console.WriteLine($"stalled       {(stalled ? "YES: items wait and nothing was delivered lately" : "no")}");
        foreach (var e in status.Errors)
        {
            Console.WriteLine($"failures      {e.Kind,-16} {e.Count,8}  last {e.LastAt:O}  {e.LastMessage}");
        }
    }

    /// <summary>The --kind of a device; a hall terminal when not given.</summary>
    internal static DeviceKind? ParseDeviceKind(string? kind) => kind switch
    {
        null or "terminal" => DeviceKind.HallTerminal,
        "pad" => DeviceKind.WindowPad,
        "window-system" => DeviceKind.WindowSystem,
        _ => null,
    };

    private static string DeviceKindName(DeviceKind kind) => kind switch
    {
        DeviceKind.HallTerminal => "terminal",
        DeviceKind.WindowPad => "pad",
        DeviceKind.WindowSystem => "window-system",
        _ => kind.ToString(),
    };

    /// <summary>
    /// Stores a district's own catalog. On an empty store this is the store's creation, recorded as not a demo store; on
    /// a store that has a catalog it replaces the catalog (earlier reason-tag lists stay, as for any catalog change).
    /// </summary>
    private static async Task<int> ImportCatalogAsync(IServiceProvider services, string? path)
    {
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new InvalidInputException("--file", "须指向目录文件（JSON）");
        }

        DistrictCatalog catalog;
        await using (var file = File.OpenRead(path))
        {
            try
            {
                catalog = DemoDistrict.Read(file);
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new InvalidInputException("--file", $"不是有效的目录文件：{e.Message}");
            }
        }

        await services.GetRequiredService<StoreSchema>().InitializeAsync(CancellationToken.None);
        await services.GetRequiredService<ICatalogStore>().SaveCatalogAsync(catalog, demoStore: false, CancellationToken.None);
        Console.WriteLine($"catalog of {catalog.RegionCode} imported: {catalog.Halls.Count()} halls, {catalog.ServiceItems.Count()} service items");
        return 0;
    }

    /// <summary>
    /// A hall manager, supervisor or auditor sees every hall unless bound to one, so which it is must be said, not
    /// left out: --hall or --district (and not both).
    /// </summary>
    internal static bool ScopeIsExplicit(StaffRole role, string? hall, bool district) => role switch
    {
        StaffRole.HallManager or StaffRole.Supervisor or StaffRole.Auditor => string.IsNullOrWhiteSpace(hall) == district,
        // 政务公开 is the district's: the officer answers for every hall's disclosure, never one hall's.
        StaffRole.DisclosureOfficer => district && string.IsNullOrWhiteSpace(hall),
        _ => !district,
    };

    private static StaffRole? ParseRole(string? role) => role switch
    {
        "department-handler" => StaffRole.DepartmentHandler,
        "hall-manager" => StaffRole.HallManager,
        "supervisor" => StaffRole.Supervisor,
        "auditor" => StaffRole.Auditor,
        "administrator" => StaffRole.Administrator,
        "moderator" => StaffRole.Moderator,
        "disclosure-officer" => StaffRole.DisclosureOfficer,
        _ => null,
    };
}
