using System.Data.Common;
using System.Text.Json;
using Dapper;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Storage;

/// <summary>The district catalog: departments, halls and their windows, service items, reason tags.</summary>
public interface ICatalogStore
{
    /// <summary>The stored catalog, or null when the store is empty.</summary>
    Task<DistrictCatalog?> LoadCatalogAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the catalog. The first catalog a store receives also records whether it is a demo store
    /// (<paramref name="demoStore"/>); later catalogs never change that.
    /// </summary>
    Task SaveCatalogAsync(DistrictCatalog catalog, bool demoStore, CancellationToken cancellationToken);

    /// <summary>
    /// Every staff identity (staff number and name) a catalog saved to this store has named, former staff included: none
    /// is ever deleted, so a name is still recognised in a text written before its staff member left the roster.
    /// </summary>
    Task<IReadOnlyList<StaffIdentity>> ListStaffIdentitiesAsync(CancellationToken cancellationToken);

    /// <summary>True only for a store created as a demo store; a district's store, or one of unknown origin, is not.</summary>
    Task<bool> IsDemoStoreAsync(CancellationToken cancellationToken);

    /// <summary>
    /// What the store is, read without creating or migrating anything: a demo tool asks this before it touches the store,
    /// so a district's store (even one an older server made) is refused with nothing written to it.
    /// </summary>
    Task<StoreOrigin> ReadOriginAsync(CancellationToken cancellationToken);
}

/// <summary>A staff member as some catalog named them, and when a saved catalog first and last did.</summary>
public sealed record StaffIdentity(string StaffId, string Name, DateTimeOffset FirstSeen, DateTimeOffset LastSeen);

public enum StoreOrigin
{
    /// <summary>No catalog yet (a new file or database): a demo tool may make it a demo store.</summary>
    Empty,
    Demo,

    /// <summary>A district's store, or one made before stores recorded their origin.</summary>
    District,
}

public sealed class CatalogStore(StoreDatabase database) : ICatalogStore
{
    public async Task<DistrictCatalog?> LoadCatalogAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var regionCode = await connection.QuerySingleOrDefaultAsync<string>(
            "SELECT region_code FROM district LIMIT 1");
        if (regionCode is null)
        {
            return null;
        }

        var departments = (await connection.QueryAsync<(string Code, string Name, string ShortName, string? NameEn, string? ShortNameEn)>(
                "SELECT code, name, short_name, name_en, short_name_en FROM departments ORDER BY position"))
            .Select(d => new Department(d.Code, d.Name, d.ShortName, d.NameEn, d.ShortNameEn));
        var windows = (await connection.QueryAsync<(string HallCode, string Definition)>(
                "SELECT hall_code, definition FROM service_windows ORDER BY position"))
            .ToLookup(w => w.HallCode, w => StoreDatabase.Deserialize<ServiceWindow>(w.Definition));
        var halls = (await connection.QueryAsync<(string Code, string Name, string Address, string OpeningHours, string SupervisionPhone, string? NameEn, string? OpeningHoursEn)>(
                "SELECT code, name, address, opening_hours, supervision_phone, name_en, opening_hours_en FROM halls ORDER BY position"))
            .Select(h => new Hall(
                h.Code, h.Name, regionCode, h.Address, h.OpeningHours, h.SupervisionPhone, windows[h.Code].ToList(), h.NameEn, h.OpeningHoursEn));
        var items = (await connection.QueryAsync<string>("SELECT definition FROM service_items ORDER BY position"))
            .Select(StoreDatabase.Deserialize<ServiceItem>);
        // Earlier versions stay in reason_tag_lists (a new catalog only clears is_current): ratings made with them are
        // still checked against them.
        var lists = (await connection.QueryAsync<(string Definition, long IsCurrent)>(
                "SELECT definition, is_current FROM reason_tag_lists"))
            .Select(l => (List: StoreDatabase.Deserialize<ReasonTagList>(l.Definition), Current: l.IsCurrent == 1))
            .ToList();
        var tags = lists.Single(l => l.Current).List;
        return new DistrictCatalog(regionCode, departments, halls, items, tags, lists.Select(l => l.List));
    }

    public async Task<StoreOrigin> ReadOriginAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        try
        {
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM district", cancellationToken: cancellationToken)) == 0)
            {
                return StoreOrigin.Empty;
            }
        }
        catch (DbException)
        {
            return StoreOrigin.Empty; // no tables at all
        }

        try
        {
            return await connection.QuerySingleOrDefaultAsync<long?>(
                new CommandDefinition("SELECT demo FROM store_origin WHERE id = 1", cancellationToken: cancellationToken)) == 1
                ? StoreOrigin.Demo
                : StoreOrigin.District;
        }
        catch (DbException)
        {
            return StoreOrigin.District; // made before stores recorded their origin
        }
    }

    public async Task<IReadOnlyList<StaffIdentity>> ListStaffIdentitiesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<(string StaffId, string Name, long FirstSeenMs, long LastSeenMs)>(new CommandDefinition(
                "SELECT staff_id, name, first_seen_ms, last_seen_ms FROM staff_identities ORDER BY staff_id, name",
                cancellationToken: cancellationToken)))
            .Select(s => new StaffIdentity(
                s.StaffId, s.Name, DateTimeOffset.FromUnixTimeMilliseconds(s.FirstSeenMs), DateTimeOffset.FromUnixTimeMilliseconds(s.LastSeenMs)))
            .ToList();
    }

    public async Task<bool> IsDemoStoreAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<long?>(
            new CommandDefinition("SELECT demo FROM store_origin WHERE id = 1", cancellationToken: cancellationToken)) == 1;
    }

    public Task SaveCatalogAsync(DistrictCatalog catalog, bool demoStore, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // Two servers starting on an empty database both seed it: one after the other, not interleaved.
            await database.LockAsync(connection, transaction, "catalog", cancellationToken);
            await connection.ExecuteAsync(
                "INSERT INTO store_origin (id, demo, created_at_ms) VALUES (1, @Demo, @AtMs) ON CONFLICT (id) DO NOTHING",
                new { Demo = demoStore ? 1 : 0, AtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, transaction);
            await RememberStaffAsync(connection, transaction, catalog, cancellationToken);
            foreach (var table in new[] { "district", "departments", "halls", "service_windows", "service_items" })
            {
                await connection.ExecuteAsync($"DELETE FROM {table}", transaction: transaction);
            }

            await connection.ExecuteAsync("UPDATE reason_tag_lists SET is_current = 0", transaction: transaction);
            await connection.ExecuteAsync(
                "INSERT INTO district (region_code) VALUES (@RegionCode)", new { catalog.RegionCode }, transaction);
            await connection.ExecuteAsync(
                """
                INSERT INTO departments (code, name, short_name, name_en, short_name_en, position)
                VALUES (@Code, @Name, @ShortName, @NameEn, @ShortNameEn, @Position)
                """,
                catalog.Departments.Select((d, i) => new { d.Code, d.Name, d.ShortName, d.NameEn, d.ShortNameEn, Position = i }), transaction);
            await connection.ExecuteAsync(
                """
                INSERT INTO halls (code, name, address, opening_hours, supervision_phone, name_en, opening_hours_en, position)
                VALUES (@Code, @Name, @Address, @OpeningHours, @SupervisionPhone, @NameEn, @OpeningHoursEn, @Position)
                """,
                catalog.Halls.Select((h, i) => new
                {
                    h.Code, h.Name, h.Address, h.OpeningHours, h.SupervisionPhone, h.NameEn, h.OpeningHoursEn, Position = i,
                }),
                transaction);
            await connection.ExecuteAsync(
                """
                INSERT INTO service_windows (hall_code, code, department_code, definition, position)
                VALUES (@HallCode, @Code, @DepartmentCode, @Definition, @Position)
                """,
                catalog.Halls.SelectMany(h => h.Windows.Select(w => (Hall: h, Window: w))).Select((x, i) => new
                {
                    HallCode = x.Hall.Code, x.Window.Code, x.Window.DepartmentCode,
                    Definition = JsonSerializer.Serialize(x.Window, StoreDatabase.Json), Position = i,
                }),
                transaction);
            await connection.ExecuteAsync(
                """
                INSERT INTO service_items (code, department_code, name, definition, position)
                VALUES (@Code, @DepartmentCode, @Name, @Definition, @Position)
                """,
                catalog.ServiceItems.Select((item, i) => new
                {
                    item.Code, item.DepartmentCode, item.Name, Definition = JsonSerializer.Serialize(item, StoreDatabase.Json), Position = i,
                }),
                transaction);
            await connection.ExecuteAsync(
                """
                INSERT INTO reason_tag_lists (version, definition, is_current) VALUES (@Version, @Definition, 1)
                ON CONFLICT (version) DO UPDATE SET definition = excluded.definition, is_current = 1
                """,
                new { catalog.ReasonTags.Version, Definition = JsonSerializer.Serialize(catalog.ReasonTags, StoreDatabase.Json) },
                transaction);
            await transaction.CommitAsync(cancellationToken);
        }, cancellationToken);

    // Staff identities are kept for good (docs/rules/privacy.md#in-public): the roster being replaced is recorded too, so
    // staff named only by a catalog saved before the store kept identities are not lost when it is replaced. The new
    // catalog's staff are seen now; the old roster's keep their last sighting unless the new catalog names them again.
    private static async Task RememberStaffAsync(DbConnection connection, DbTransaction transaction, DistrictCatalog catalog, CancellationToken cancellationToken)
    {
        var atMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var replaced = (await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT definition FROM service_windows", transaction: transaction, cancellationToken: cancellationToken)))
            .SelectMany(d => StoreDatabase.Deserialize<ServiceWindow>(d).Staff);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO staff_identities (staff_id, name, first_seen_ms, last_seen_ms) VALUES (@StaffId, @Name, @AtMs, @AtMs)
            ON CONFLICT (staff_id, name) DO NOTHING
            """,
            replaced.Select(s => new { s.StaffId, s.Name, AtMs = atMs }).Distinct().ToList(),
            transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO staff_identities (staff_id, name, first_seen_ms, last_seen_ms) VALUES (@StaffId, @Name, @AtMs, @AtMs)
            ON CONFLICT (staff_id, name) DO UPDATE SET last_seen_ms = excluded.last_seen_ms
            """,
            catalog.Halls.SelectMany(h => h.Windows).SelectMany(w => w.Staff).Select(s => new { s.StaffId, s.Name, AtMs = atMs }).Distinct().ToList(),
            transaction, cancellationToken: cancellationToken));
    }
}
