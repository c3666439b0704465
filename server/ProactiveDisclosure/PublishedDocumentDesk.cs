using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Live;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.ProactiveDisclosure;

/// <summary>How the district reviews what it publishes (section "ProactiveDisclosure").</summary>
public sealed class ProactiveDisclosureOptions
{
    public const string Section = "ProactiveDisclosure";

    /// <summary>
    /// A document submitted for review is approved by a different officer (true, the default). A district with one 政务公开
    /// officer sets false: the review step is still recorded, by the same officer (docs/rules/active-disclosure.md#review).
    /// </summary>
    public bool SecondOfficerReviews { get; set; } = true;
}

/// <summary>The published set as a kiosk reads it, and the version that changes whenever it does.</summary>
public sealed record PublishedSet(string Version, IReadOnlyList<PublishedDocument> Documents, DateOnly Today);

/// <summary>
/// The 政务公开 office's desk for 主动公开 documents: drafts and edits checked against the catalog, the review, publishing a
/// policy together with its interpretation (谁起草谁解读), withdrawal, and the published set the kiosks read.
/// </summary>
public sealed class PublishedDocumentDesk(
    IPublishedDocumentStore store, CatalogSource catalog, IOptions<ProactiveDisclosureOptions> options, DistrictClock clock)
{
    public Task<IReadOnlyList<PublishedDocument>> ListAsync(PublishedDocumentType? type, PublishedDocumentState? state, CancellationToken cancellationToken) =>
        store.ListAsync(new PublishedDocumentQuery(type, state), cancellationToken);

    public async Task<PublishedDocument> GetAsync(Guid id, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) ?? throw new NotFoundException("没有这份公开文件", "published_document", id.ToString());

    /// <summary>Creates a draft (<paramref name="expectedEventCount"/> 0) or edits one.</summary>
    public async Task<PublishedDocument> SaveDraftAsync(
        StaffAccount account, Guid id, DocumentContent content, int expectedEventCount, CancellationToken cancellationToken)
    {
        var by = ActorOf(account);
        content = content with { Demo = false };
        await CheckReferencesAsync(id, content, cancellationToken);
        if (expectedEventCount == 0)
        {
            var (stored, _) = await store.CreateAsync(PublishedDocument.Draft(id, content, by, clock.UtcNow), cancellationToken);
            return stored;
        }

        var document = await GetAsync(id, cancellationToken);
        if (document.Events.Count != expectedEventCount)
        {
            throw new ConcurrentChangeException($"“{document.Content.Title}”已被他人更新，请刷新后重试");
        }

        document.Edit(content with { Demo = document.Content.Demo }, by, clock.UtcNow);
        await store.SaveAsync([(document, expectedEventCount)], cancellationToken);
        return document;
    }

    public Task<PublishedDocument> SubmitAsync(StaffAccount account, Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, d => d.SubmitForReview(ActorOf(account), clock.UtcNow), cancellationToken);

    public Task<PublishedDocument> ReturnAsync(StaffAccount account, Guid id, string reason, CancellationToken cancellationToken) =>
        ActAsync(id, d => d.ReturnForChanges(ActorOf(account), reason, clock.UtcNow), cancellationToken);

    public Task<PublishedDocument> ApproveAsync(StaffAccount account, Guid id, string? note, CancellationToken cancellationToken) =>
        ActAsync(id, d => d.Approve(ActorOf(account), options.Value.SecondOfficerReviews, note, clock.UtcNow), cancellationToken);

    public Task<PublishedDocument> WithdrawAsync(StaffAccount account, Guid id, string reason, CancellationToken cancellationToken) =>
        ActAsync(id, d => d.Withdraw(ActorOf(account), reason, clock.UtcNow), cancellationToken);

    /// <summary>
    /// Publishes an approved document. A policy goes out together with its approved interpretations and needs at least one
    /// (approved or already published); an interpretation alone only once its policy is published (谁起草谁解读,
    /// docs/rules/active-disclosure.md#interpretation).
    /// </summary>
    public async Task<(PublishedDocument Document, IReadOnlyList<PublishedDocument> AlsoPublished)> PublishAsync(
        StaffAccount account, Guid id, CancellationToken cancellationToken)
    {
        var by = ActorOf(account);
        var document = await GetAsync(id, cancellationToken);
        var at = clock.UtcNow;
        var changes = new List<(PublishedDocument, int)> { (document, document.Events.Count) };
        var also = new List<PublishedDocument>();
        switch (document.Content.Type)
        {
            case PublishedDocumentType.Policy:
                var interpretations = (await store.ListAsync(new PublishedDocumentQuery(PublishedDocumentType.Interpretation), cancellationToken))
                    .Where(i => i.Content.InterpretsPolicyId == document.Id
                        && i.State is PublishedDocumentState.Approved or PublishedDocumentState.Published)
                    .ToList();
                if (interpretations.Count == 0 && document.State == PublishedDocumentState.Approved)
                {
                    throw new NotNowException("政策文件须与其解读同步发布：请先起草并审核通过解读材料（谁起草谁解读）", "interpretation_missing");
                }

                document.Publish(by, at);
                foreach (var interpretation in interpretations.Where(i => i.State == PublishedDocumentState.Approved))
                {
                    changes.Add((interpretation, interpretation.Events.Count));
                    interpretation.Publish(by, at);
                    also.Add(interpretation);
                }

                break;
            case PublishedDocumentType.Interpretation:
                var policy = document.Content.InterpretsPolicyId is { } policyId ? await store.FindAsync(policyId, cancellationToken) : null;
                if (policy?.State != PublishedDocumentState.Published)
                {
                    throw new NotNowException("解读须与所解读的政策文件同步发布：请发布政策文件", "policy_not_published");
                }

                document.Publish(by, at);
                break;
            case PublishedDocumentType.Guide:
            case PublishedDocumentType.Catalogue:
            case PublishedDocumentType.EnterprisePolicy:
            case PublishedDocumentType.PromiseCertificates:
            case PublishedDocumentType.EnterpriseFees:
            case PublishedDocumentType.ServiceModeList:
                document.Publish(by, at);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(id), document.Content.Type, null);
        }

        await store.SaveAsync(changes, cancellationToken);
        return (document, also);
    }

    /// <summary>The published documents with a version derived from what they are (ids and audit lengths).</summary>
    public async Task<PublishedSet> PublishedSetAsync(CancellationToken cancellationToken)
    {
        var published = (await store.ListAsync(new PublishedDocumentQuery(State: PublishedDocumentState.Published), cancellationToken))
            .OrderBy(d => d.Content.Type).ThenByDescending(d => d.PublishedAt).ThenBy(d => d.Id)
            .ToList();
        var key = string.Join(";", published.Select(d => $"{d.Id:N}:{d.Events.Count}"));
        var version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
        return new PublishedSet(version, published, clock.LocalDay(clock.UtcNow));
    }

    /// <summary>Stores the demo district's documents into an empty table (docs/rules/active-disclosure.md#demo-data).</summary>
    public Task<bool> SeedDemoAsync(CancellationToken cancellationToken) =>
        store.SeedAsync(DemoDocuments.Make(clock.LocalDay(clock.UtcNow), clock.UtcNow), cancellationToken);

    private async Task CheckReferencesAsync(Guid id, DocumentContent content, CancellationToken cancellationToken)
    {
        PublishedDocumentRules.Check(content);
        foreach (var code in content.ServiceItemCodes)
        {
            if (catalog.Current.FindServiceItem(code) is null)
            {
                throw new InvalidInputException("content.service_item_codes", $"目录中没有事项 {code}");
            }
        }

        if (content.InterpretsPolicyId is { } policyId)
        {
            var policy = await store.FindAsync(policyId, cancellationToken);
            if (policy is null || policy.Content.Type != PublishedDocumentType.Policy || policyId == id)
            {
                throw new InvalidInputException("content.interprets_policy_id", "须指向一份政策文件");
            }
        }
    }

    private static Actor ActorOf(StaffAccount account) => account.Role == StaffRole.DisclosureOfficer
        ? new Actor(account.UserName, CaseRole.DisclosureOffice)
        : throw new AccessDeniedException("只有政务公开专员可以编辑、审核、发布或撤回公开内容");

    private async Task<PublishedDocument> ActAsync(Guid id, Action<PublishedDocument> act, CancellationToken cancellationToken)
    {
        var document = await GetAsync(id, cancellationToken);
        var before = document.Events.Count;
        act(document);
        await store.SaveAsync([(document, before)], cancellationToken);
        return document;
    }
}
