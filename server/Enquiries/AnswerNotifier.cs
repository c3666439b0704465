using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Enquiries;

/// <summary>
/// Tells a citizen who left a number that their question is answered (docs/rules/questions-and-reports.md#questions). A
/// district with an SMS gateway plugs its own in; the default only records that an answer is ready.
/// </summary>
public interface IAnswerNotifier
{
    /// <summary>The answer to <paramref name="question"/> is ready; <paramref name="phone"/> is the citizen's number.</summary>
    Task AnswerReadyAsync(CitizenQuestion question, string phone, CancellationToken cancellationToken);
}

/// <summary>The default: records that an answer is ready, never the number or the pickup code (either would let a log reader see the answer).</summary>
public sealed class LoggingAnswerNotifier(ILogger<LoggingAnswerNotifier> logger) : IAnswerNotifier
{
    public Task AnswerReadyAsync(CitizenQuestion question, string phone, CancellationToken cancellationToken)
    {
        logger.LogInformation("Question {QuestionId} answered; no SMS gateway is configured, so the citizen is not notified", question.Id);
        return Task.CompletedTask;
    }
}
