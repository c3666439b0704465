using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using ServiceHall.Kiosk.Enquiries;
using Proto = ServiceHall.Protos.V1;

namespace ServiceHall.Kiosk.Services;

/// <summary>
/// The kiosk's door to QuestionService: hands questions (办事咨询) and 办不成事 reports in, and reads answers by pickup code.
/// Map, call, map — no rules here. Calls go with the enrollment credential. Every call throws
/// <see cref="Grpc.Core.RpcException"/> on failure: InvalidArgument naming the field at fault, NotFound for an answer not
/// found, anything else when the server cannot be reached.
/// </summary>
public sealed class EnquiryClient(Proto.QuestionService.QuestionServiceClient client, TimeProvider timeProvider)
{
    /// <summary>Hands the question in; a resend of the same request id is answered with the stored question's pickup code.</summary>
    public async Task<QuestionReceipt> SubmitQuestionAsync(KioskQuestion question, CancellationToken cancellationToken)
    {
        var response = await client.SubmitQuestionAsync(ToProto(question), deadline: Deadline(), cancellationToken: cancellationToken);
        return new QuestionReceipt(response.PickupCode, Day(response.ReceivedDay), Day(response.AnswerDueDay));
    }

    /// <summary>The answer to a pickup code; NotFound (one message for all) when there is none to show.</summary>
    public async Task<QuestionAnswer> FindAnswerAsync(string pickupCode, CancellationToken cancellationToken)
    {
        var response = await client.FindAnswerAsync(
            new Proto.FindAnswerRequest { PickupCode = pickupCode }, deadline: Deadline(), cancellationToken: cancellationToken);
        return new QuestionAnswer(response.Question, response.Answer, Day(response.AnsweredDay));
    }

    /// <summary>Hands the report in; idempotent by request id.</summary>
    public async Task<CouldNotBeDoneReceipt> SubmitReportAsync(KioskCouldNotBeDoneReport report, CancellationToken cancellationToken)
    {
        var response = await client.SubmitCouldNotBeDoneReportAsync(ToProto(report), deadline: Deadline(), cancellationToken: cancellationToken);
        return new CouldNotBeDoneReceipt(response.ReportNumber, Day(response.ReceivedDay), Day(response.DueDay));
    }

    private DateTime Deadline() => timeProvider.GetUtcNow().UtcDateTime + ServiceHallClient.CallTimeout;

    private static DateOnly Day(string day) => DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static Proto.SubmitQuestionRequest ToProto(KioskQuestion question) => new()
    {
        RequestId = question.RequestId.ToString(),
        SubmittedAt = Timestamp.FromDateTimeOffset(question.SubmittedAt),
        Text = question.Text,
        ServiceItemCode = question.ServiceItemCode ?? "",
        ContactPhone = question.ContactPhone ?? "",
        FaqConsent = question.FaqConsent,
    };

    internal static Proto.SubmitCouldNotBeDoneReportRequest ToProto(KioskCouldNotBeDoneReport report) => new()
    {
        RequestId = report.RequestId.ToString(),
        SubmittedAt = Timestamp.FromDateTimeOffset(report.SubmittedAt),
        What = report.What,
        Window = report.Window ?? "",
        ServiceItemCode = report.ServiceItemCode ?? "",
        HappenedOn = report.HappenedOnText,
        ContactPhone = report.ContactPhone,
    };
}
