using Dapper;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Storage;

/// <summary>The evidence files of cases (migration 19), kept in the store with their case.</summary>
public interface ICaseEvidenceStore
{
    /// <summary>Keeps a file, unless the case already has <paramref name="maxPerCase"/>: then false and nothing is kept.</summary>
    Task<bool> AddAsync(EvidenceFile file, byte[] content, int maxPerCase, CancellationToken cancellationToken);

    /// <summary>The case's files, oldest first, without their content.</summary>
    Task<IReadOnlyList<EvidenceFile>> ListAsync(Guid caseId, CancellationToken cancellationToken);

    Task<int> CountAsync(Guid caseId, CancellationToken cancellationToken);

    /// <summary>One file of the case with its content; null when the case has no such file.</summary>
    Task<(EvidenceFile File, byte[] Content)?> FindAsync(Guid caseId, Guid fileId, CancellationToken cancellationToken);
}

public sealed class CaseEvidenceStore(StoreDatabase database) : ICaseEvidenceStore
{
    private const string Columns =
        """
        SELECT id AS Id, case_id AS CaseId, file_name AS FileName, kind AS Kind, size_bytes AS SizeBytes, sha256 AS Sha256,
            uploaded_by AS UploadedBy, uploaded_at_ms AS UploadedAtMs
        """;

    public Task<bool> AddAsync(EvidenceFile file, byte[] content, int maxPerCase, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            // The count and the insert in one statement: two uploads at once cannot both take the last place.
            var added = await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO case_evidence_files (id, case_id, file_name, kind, size_bytes, sha256, uploaded_by, uploaded_at_ms, content_base64)
                SELECT @Id, @CaseId, @FileName, @Kind, @SizeBytes, @Sha256, @UploadedBy, @UploadedAtMs, @Content
                WHERE (SELECT COUNT(*) FROM case_evidence_files WHERE case_id = @CaseId) < @MaxPerCase
                """,
                new
                {
                    Id = file.Id.ToString(), CaseId = file.CaseId.ToString(), file.FileName, Kind = (long)file.Kind, file.SizeBytes, file.Sha256,
                    file.UploadedBy, UploadedAtMs = file.UploadedAt.ToUnixTimeMilliseconds(), Content = Convert.ToBase64String(content),
                    MaxPerCase = (long)maxPerCase,
                },
                cancellationToken: cancellationToken));
            return added == 1;
        }, cancellationToken);

    public async Task<IReadOnlyList<EvidenceFile>> ListAsync(Guid caseId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            Columns + " FROM case_evidence_files WHERE case_id = @CaseId ORDER BY uploaded_at_ms, id",
            new { CaseId = caseId.ToString() }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToFile()).ToList();
    }

    public async Task<int> CountAsync(Guid caseId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (int)await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM case_evidence_files WHERE case_id = @CaseId", new { CaseId = caseId.ToString() }, cancellationToken: cancellationToken));
    }

    public async Task<(EvidenceFile File, byte[] Content)?> FindAsync(Guid caseId, Guid fileId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            Columns + ", content_base64 AS ContentBase64 FROM case_evidence_files WHERE case_id = @CaseId AND id = @Id",
            new { CaseId = caseId.ToString(), Id = fileId.ToString() }, cancellationToken: cancellationToken));
        return row is null ? null : (row.ToFile(), Convert.FromBase64String(row.ContentBase64!));
    }

    private sealed class Row
    {
        public string Id { get; init; } = "";
        public string CaseId { get; init; } = "";
        public string FileName { get; init; } = "";
        public long Kind { get; init; }
        public long SizeBytes { get; init; }
        public string Sha256 { get; init; } = "";
        public string UploadedBy { get; init; } = "";
        public long UploadedAtMs { get; init; }
        public string? ContentBase64 { get; init; }

        public EvidenceFile ToFile() => new(
            Guid.Parse(Id), Guid.Parse(CaseId), FileName,
            Kind switch
            {
                1 => EvidenceFileKind.Jpeg,
                2 => EvidenceFileKind.Png,
                3 => EvidenceFileKind.Pdf,
                _ => throw new InvalidOperationException($"evidence file {Id} has an unknown kind {Kind}"),
            },
            SizeBytes, Sha256, UploadedBy, DateTimeOffset.FromUnixTimeMilliseconds(UploadedAtMs));
    }
}
