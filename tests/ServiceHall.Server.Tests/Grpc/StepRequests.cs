using ServiceHall.Protos.V1;

namespace ServiceHall.Server.Tests.Grpc;

internal static class StepRequests
{
    /// <summary>An ActOnCase request for one step; an input named twice (evidence) carries each value.</summary>
    public static ActOnCaseRequest Step(string caseId, string step, params (string Name, string Value)[] inputs)
    {
        var request = new ActOnCaseRequest { CaseId = caseId, Step = step };
        foreach (var group in inputs.GroupBy(i => i.Name))
        {
            request.Inputs.Add(new StepInputValue { Name = group.Key, Values = { group.Select(i => i.Value) } });
        }

        return request;
    }
}
