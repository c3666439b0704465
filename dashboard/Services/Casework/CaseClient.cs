using Grpc.Core;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Services.Casework;

/// <summary>
/// The console's calls to <c>CaseService</c>: map, call with the signed-in user's bearer token, map. Every failure
/// comes out as a <see cref="ConsoleCallException"/>; an Unauthenticated answer also ends the session, which sends the
/// console back to sign-in.
/// </summary>
public sealed class CaseClient(CaseService.CaseServiceClient client, ConsoleSession session)
{
    /// <summary>Unary calls give up after this long, so a page never waits on a hung server.</summary>
    internal static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);

    public async Task<IReadOnlyList<CaseRow>> ListAsync(CaseQueueFilter filter, CancellationToken cancellationToken = default)
    {
        var response = await CallAsync(
            headers => client.ListCasesAsync(filter.ToRequest(), headers, Deadline(), cancellationToken));
        return response.Cases.Select(c => c.ToCaseRow()).ToArray();
    }

    /// <summary>The open cases the user answers for, by stage and department, for the queue's triage header.</summary>
    public async Task<CaseTriageView> TriageAsync(CancellationToken cancellationToken = default)
    {
        var response = await CallAsync(
            headers => client.GetCaseTriageAsync(new GetCaseTriageRequest(), headers, Deadline(), cancellationToken));
        return response.ToView();
    }

    public async Task<CaseFile> GetAsync(string caseId, CancellationToken cancellationToken = default)
    {
        var response = await CallAsync(
            headers => client.GetCaseAsync(new GetCaseRequest { CaseId = caseId }, headers, Deadline(), cancellationToken));
        return response.ToCaseFile();
    }

    /// <summary>Takes one step of the loop and answers the case as it is afterwards.</summary>
    public async Task<CaseFile> ActAsync(string caseId, StepSubmission step, CancellationToken cancellationToken = default)
    {
        var request = step.ToRequest(caseId);
        var response = await CallAsync(headers => client.ActOnCaseAsync(request, headers, Deadline(), cancellationToken));
        return (response.Case ?? new GetCaseResponse()).ToCaseFile();
    }

    /// <summary>
    /// The rater's full number, for a handler's callback. The server asks for a reason and writes the access into the
    /// case's audit trail before it answers.
    /// </summary>
    public async Task<string> RevealContactAsync(string caseId, string reason, CancellationToken cancellationToken = default)
    {
        var response = await CallAsync(headers => client.RevealRaterContactAsync(
            new RevealRaterContactRequest { CaseId = caseId, Reason = reason }, headers, Deadline(), cancellationToken));
        return response.Phone;
    }

    /// <summary>Keeps a photo or PDF with the case as evidence; answers the kept file (its reference is what a step cites).</summary>
    public async Task<EvidenceFileInfo> UploadEvidenceAsync(string caseId, string fileName, byte[] content, CancellationToken cancellationToken = default)
    {
        var request = new UploadCaseEvidenceRequest { CaseId = caseId, FileName = fileName, Content = Google.Protobuf.ByteString.CopyFrom(content) };
        var response = await CallAsync(headers => client.UploadCaseEvidenceAsync(request, headers, Deadline(), cancellationToken));
        return (response.File ?? new CaseEvidenceFile()).ToInfo();
    }

    /// <summary>One evidence file of the case with its content, to open or save.</summary>
    public async Task<(EvidenceFileInfo File, byte[] Content)> DownloadEvidenceAsync(string caseId, string evidenceId, CancellationToken cancellationToken = default)
    {
        var response = await CallAsync(headers => client.GetCaseEvidenceAsync(
            new GetCaseEvidenceRequest { CaseId = caseId, EvidenceId = evidenceId }, headers, Deadline(), cancellationToken));
        return ((response.File ?? new CaseEvidenceFile()).ToInfo(), response.Content.ToByteArray());
    }

    /// <summary>The metadata every staff call carries (accounts.proto).</summary>
    internal static Metadata AuthorizationHeaders(ConsoleCredentials credentials) =>
        new() { { "authorization", "Bearer " + credentials.AccessToken } };

    private static DateTime Deadline() => DateTime.UtcNow + CallTimeout;

    private Task<TResponse> CallAsync<TResponse>(Func<Metadata, AsyncUnaryCall<TResponse>> call) => session.CallAsync(call);
}
