using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.DisclosureRequests;

/// <summary>
/// A request as one member of staff may see it: the applicant masked for the office, not at all for a department handler
/// (who sees the kind of applicant only), with the reply deadline now and the steps they may take.
/// </summary>
public sealed record DisclosureRequestView(
    DisclosureRequest Request,
    DisclosureDeadline Deadline,
    MaskedApplicant? Applicant,
    IReadOnlyList<CaseStep<DisclosureRequest, DisclosureRequestState>> AllowedSteps,
    StepContext Context);

/// <summary>What the office sees of an applicant (docs/rules/disclosure-requests.md#privacy).</summary>
public sealed record MaskedApplicant(string Name, IdentityDocumentKind DocumentKind, string DocumentNumber, string Phone, bool HasPostalAddress, bool HasEmail);

/// <summary>The receipt the kiosk shows and reads out: the request number and the legal reply day.</summary>
public sealed record DisclosureReceipt(DisclosureRequest Request, DateOnly ReplyDueDay, bool Created);

/// <summary>
/// Information-disclosure requests as the kiosk hands them in and staff work them: intake (checks, encryption, repeat and
/// volume flags), who may see which request, one step at a time with a check that nobody acted in between, and the
/// annual report.
/// </summary>
public sealed class DisclosureRequestDesk(
    IDisclosureRequestStore store, DisclosureTimeLimits limits, ContactProtector contacts, IDataProtectionProvider protection,
    IOptions<DisclosureVolumePolicy> volume, CatalogSource catalog, TimeProvider time)
{
    /// <summary>A kiosk's clock may run this far ahead of the server's.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a request may wait in a kiosk's outbox: beyond this the submission instant is not believed (a kiosk cut off
    /// for longer is a case for its administrator, not for a silently back-dated request).
    /// </summary>
    public static readonly TimeSpan MaxOutboxDelay = TimeSpan.FromDays(30);

    private const int MaxListed = 200;

    private readonly IDataProtector _secretProtector = protection.CreateProtector("ServiceHall.DisclosureApplicantKeySecret.v1");

    public DisclosureTimeLimits Limits => limits;

    /// <summary>
    /// Hands a request in from a kiosk of <paramref name="device"/>'s hall: checked, the applicant encrypted, flagged, stored
    /// once per id. A resend of a stored id answers with the stored request's receipt.
    /// </summary>
    public async Task<DisclosureReceipt> SubmitAsync(
        EnrolledKiosk device, Guid id, DisclosureApplication application, DateTimeOffset submittedAt, CancellationToken cancellationToken)
    {
        if (id == Guid.Empty)
        {
            throw new InvalidInputException("request_id", "不能为空");
        }

        var now = time.GetUtcNow();
        if (submittedAt > now + MaxClockSkew)
        {
            throw new InvalidInputException("submitted_at", "提交时间晚于服务器时间，请校准设备时钟");
        }

        if (submittedAt < now - MaxOutboxDelay)
        {
            throw new InvalidInputException("submitted_at", $"提交时间早于 {MaxOutboxDelay.TotalDays:0} 天前，请联系系统管理员");
        }

        var checkedApplication = application.Checked();
        var secret = await SecretAsync(cancellationToken);
        var applicantKey = DisclosureRequest.ApplicantKey(checkedApplication.Applicant, secret);
        var informationKey = DisclosureRequest.InformationKey(checkedApplication.Information);
        var (request, created) = await store.ReceiveAsync(id, applicantKey, earlier =>
        {
            var flags = DisclosureIntake.Flags(earlier, informationKey, submittedAt, volume.Value);
            var received = DisclosureRequest.Receive(id, device.HallCode, checkedApplication, submittedAt, flags, limits);
            var protectedApplicant = contacts.Protect(JsonSerializer.Serialize(checkedApplication.Applicant, StoreDatabase.Json));
            return new DisclosureIntakeRow(received, device.DeviceId, protectedApplicant, applicantKey, informationKey);
        }, cancellationToken);
        return new DisclosureReceipt(request, request.ReplyDeadline(limits, request.SubmittedAt).DueDay, created);
    }

    /// <summary>For each of the next <paramref name="days"/> local days: its day of receipt and the reply due day, for a kiosk's receipt while the server is away.</summary>
    public IReadOnlyList<(DateOnly Day, DateOnly ReceivedDay, DateOnly ReplyDueDay)> IntakeTerms(int days)
    {
        var today = limits.Calendar.LocalDate(time.GetUtcNow());
        return Enumerable.Range(0, days).Select(i =>
        {
            var day = today.AddDays(i);
            var received = limits.DayOfReceipt(limits.Calendar.EndOfDay(day).AddHours(-12));
            return (day, received, limits.ReplyDueDay(new DisclosureClockFacts(received, null, 0, []), received));
        }).ToList();
    }

    public async Task<IReadOnlyList<(DisclosureRequest Request, DisclosureDeadline Deadline)>> ListAsync(
        StaffAccount account, IReadOnlyCollection<DisclosureRequestState> states, int limit, CancellationToken cancellationToken)
    {
        RequireActor(account);
        var now = time.GetUtcNow();
        var query = new DisclosureRequestQuery(states, account.Role == StaffRole.DepartmentHandler ? account.DepartmentCode : null,
            limit is > 0 and <= MaxListed ? limit : MaxListed);
        return (await store.ListAsync(query, cancellationToken)).Select(r => (r, r.ReplyDeadline(limits, now))).ToList();
    }

    public async Task<DisclosureRequestView> GetAsync(StaffAccount account, Guid id, CancellationToken cancellationToken)
    {
        var actor = RequireActor(account);
        var request = await LoadVisibleAsync(account, id, cancellationToken);
        return await ViewAsync(request, account, actor, cancellationToken);
    }

    /// <summary>Takes one step, named as the contract names it, and saves the request; a refused step changes nothing.</summary>
    public async Task<DisclosureRequestView> ActAsync(
        StaffAccount account, Guid id, string step, StepInputs inputs, CancellationToken cancellationToken)
    {
        var actor = RequireActor(account);
        var request = await LoadVisibleAsync(account, id, cancellationToken);
        var eventsBefore = request.Events.Count;
        var departmentBefore = request.AssignedDepartmentCode;
        var context = new StepContext(time.GetUtcNow()) { DisclosureLimits = limits };
        DisclosureRequestSteps.Catalog.Take(request, step, actor, inputs, context);
        if (request.AssignedDepartmentCode is { } department && department != departmentBefore
            && catalog.Current.FindDepartment(department) is null)
        {
            throw new InvalidInputException("department_code", "没有这个部门");
        }

        await store.SaveAsync(request, eventsBefore, cancellationToken);
        return await ViewAsync(request, account, actor, cancellationToken);
    }

    /// <summary>
    /// The server's own steps, now: each reply deadline that passed unanswered is escalated once, and each
    /// request whose supplement period ended without one lapses. Returns how many requests it changed.
    /// </summary>
    public async Task<int> RunOverdueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var context = new StepContext(now) { DisclosureLimits = limits };
        var changed = 0;
        foreach (var request in await store.ListOpenAsync(cancellationToken))
        {
            var step = request.AllowedSteps(Actor.System, context).FirstOrDefault();
            if (step is null)
            {
                continue;
            }

            var eventsBefore = request.Events.Count;
            DisclosureRequestSteps.Catalog.Guard(step, request, Actor.System, context);
            step.Take(request, Actor.System, StepInputs.None, context);
            try
            {
                await store.SaveAsync(request, eventsBefore, cancellationToken);
                changed++;
            }
            catch (ConcurrentChangeException)
            {
                // Someone acted in between: the next run looks at the request again.
            }
        }

        return changed;
    }

    /// <summary>The annual table of <paramref name="year"/> and the office's review and litigation figures for it.</summary>
    public async Task<(DisclosureAnnualTable Table, ReviewAndLitigationFigures Review)> AnnualReportAsync(int year, CancellationToken cancellationToken)
    {
        if (year is < 2008 or > 9999)
        {
            throw new InvalidInputException("year", "须为 2008 年（条例施行）以后的年份");
        }

        var facts = await store.ListFactsForYearAsync(year, cancellationToken);
        return (DisclosureAnnualTable.Compute(year, facts), await store.FindReviewFiguresAsync(year, cancellationToken));
    }

    /// <summary>
    /// The annual table for the public: only a year that has ended (its counts are final), counts only.
    /// </summary>
    public async Task<(DisclosureAnnualTable Table, ReviewAndLitigationFigures Review)> PublishedReportAsync(int year, CancellationToken cancellationToken)
    {
        var thisYear = limits.Calendar.LocalDate(time.GetUtcNow()).Year;
        if (year >= thisYear)
        {
            throw new NotNowException($"{year} 年度尚未结束，年度报告数据尚未公开");
        }

        return await AnnualReportAsync(year, cancellationToken);
    }

    public async Task SaveReviewFiguresAsync(StaffAccount account, ReviewAndLitigationFigures figures, CancellationToken cancellationToken)
    {
        if (figures.Year is < 2008 or > 9999)
        {
            throw new InvalidInputException("year", "须为 2008 年（条例施行）以后的年份");
        }

        figures.Review.Check("review");
        figures.LitigationDirect.Check("litigation_direct");
        figures.LitigationAfterReview.Check("litigation_after_review");
        await store.SaveReviewFiguresAsync(figures, account.UserName, time.GetUtcNow(), cancellationToken);
    }

    private async Task<DisclosureRequestView> ViewAsync(DisclosureRequest request, StaffAccount account, Actor actor, CancellationToken cancellationToken)
    {
        var context = new StepContext(time.GetUtcNow()) { DisclosureLimits = limits };
        MaskedApplicant? applicant = null;
        if (account.Role == StaffRole.DisclosureOfficer && await store.FindApplicantProtectedAsync(request.Id, cancellationToken) is { } cipher)
        {
            applicant = contacts.TryUnprotect(cipher) is { } json && StoreDatabase.Deserialize<ApplicantIdentity>(json) is var a
                ? new MaskedApplicant(a.MaskedName, a.DocumentKind, a.MaskedDocumentNumber, a.MaskedPhone, a.PostalAddress is not null, a.Email is not null)
                : new MaskedApplicant("（密钥丢失，无法读取）", IdentityDocumentKind.ResidentIdCard, "", "", false, false);
        }

        return new DisclosureRequestView(request, request.ReplyDeadline(limits, context.At), applicant, request.AllowedSteps(actor, context), context);
    }

    private async Task<DisclosureRequest> LoadVisibleAsync(StaffAccount account, Guid id, CancellationToken cancellationToken)
    {
        var request = await store.FindAsync(id, cancellationToken) ?? throw new NotFoundException($"没有申请 {id}", "disclosure_request", id.ToString());
        return MaySee(account, request) ? request : throw new AccessDeniedException("该申请未交由本部门办理");
    }

    /// <summary>The office sees every request; a department handler those assigned to their department.</summary>
    public static bool MaySee(StaffAccount account, DisclosureRequest request) => account.Role switch
    {
        StaffRole.DisclosureOfficer => true,
        StaffRole.DepartmentHandler => request.AssignedDepartmentCode is not null && request.AssignedDepartmentCode == account.DepartmentCode,
        _ => false,
    };

    /// <summary>The account as it acts on requests: the office, or a department handler.</summary>
    public static Actor RequireActor(StaffAccount account) => account.Role switch
    {
        StaffRole.DisclosureOfficer => new Actor(account.UserName, CaseRole.DisclosureOffice),
        StaffRole.DepartmentHandler => new Actor(account.UserName, CaseRole.DepartmentHandler, account.DepartmentCode),
        _ => throw new AccessDeniedException("只有政务公开专员和承办部门经办人办理政府信息公开申请"),
    };

    // The applicant-key secret is the district's own, made once and kept protected by the same key ring as the contacts.
    private async Task<byte[]> SecretAsync(CancellationToken cancellationToken)
    {
        var stored = await store.KeepSecretAsync(
            () => _secretProtector.Protect(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))), cancellationToken);
        return Convert.FromBase64String(_secretProtector.Unprotect(stored));
    }
}
