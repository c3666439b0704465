using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Accounts;
using ServiceHall.Server.Storage;
using DomainRole = ServiceHall.Server.Domain.StaffRole;

namespace ServiceHall.Server.Tests.Grpc;

/// <summary>A rating stays within its hall's offer; a case goes only to a department that can work it.</summary>
public sealed class ScopeTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    [Fact]
    public async Task SubmitRatings_ItemNotOfferedInTheKiosksHall_Rejected_ItemOfThatHallStored()
    {
        var catalog = factory.Services.GetRequiredService<CatalogSource>().Current;
        var small = catalog.Halls.First(h => h.Code != ServerFactory.HallCode);
        var offeredThere = catalog.ServiceItemsOf(small).Select(i => i.Code).ToHashSet();
        var notThere = catalog.ServiceItems.First(i => !offeredThere.Contains(i.Code));
        var client = factory.CreateRatingClient(factory.EnrollKiosk("kiosk-small-hall", small.Code));
        RatingSubmission Of(string itemCode)
        {
            var rating = ServerFactory.GoodRating();
            rating.HallCode = small.Code;
            rating.WindowCode = "";
            rating.ServiceItemCode = itemCode;
            return rating;
        }

        var results = (await client.SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { Of(notThere.Code), Of(offeredThere.First()) } })).Results;

        Assert.Equal(RatingOutcome.Rejected, results[0].Outcome);
        Assert.Equal("service_item_code", results[0].Field);
        Assert.Equal(RatingOutcome.Stored, results[1].Outcome);
    }

    [Fact]
    public async Task AssignOrReassign_UnknownOrOversizedOrUnrelatedDepartment_InvalidArgumentAndNothingChanged()
    {
        using var server = new ServerFactory();
        var bad = ServerFactory.GoodRating();
        bad.Level = RatingLevel.VeryDissatisfied;
        bad.Text = "窗口无人";
        await server.CreateRatingClient().SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { bad } });
        await server.Services.GetRequiredService<StaffSignIn>().CreateAccountAsync(
            "manager", "manager", DomainRole.HallManager, null, "a long enough password", CancellationToken.None);
        var token = (await new AccountService.AccountServiceClient(server.CreateChannel())
            .SignInAsync(new SignInRequest { UserName = "manager", Password = "a long enough password" })).AccessToken;
        var manager = new Metadata { { "authorization", "Bearer " + token } };
        var cases = new CaseService.CaseServiceClient(server.CreateChannel());
        var caseId = (await cases.ListCasesAsync(new ListCasesRequest(), manager)).Cases.Single().CaseId;
        var catalog = server.Services.GetRequiredService<CatalogSource>().Current;
        var inHall = catalog.DepartmentsOf(catalog.FindHall(ServerFactory.HallCode)!).Select(d => d.Code).ToList();
        var unrelated = catalog.Departments.Select(d => d.Code).FirstOrDefault(d => !inHall.Contains(d));

        string[] refused = ["NOPE", new string('D', 10_240), .. unrelated is null ? Array.Empty<string>() : [unrelated]];
        foreach (var department in refused)
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => cases.ActOnCaseAsync(
                StepRequests.Step(caseId, "assign", ("department_code", department)), manager).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            Assert.Equal("department_code", Assert.Single(e.FieldsAtFault()));
        }

        Assert.Equal(1, server.Scalar("SELECT event_count FROM cases"));
        await cases.ActOnCaseAsync(StepRequests.Step(caseId, "assign", ("department_code", inHall[0])), manager);
        var reassign = await Assert.ThrowsAsync<RpcException>(() => cases.ActOnCaseAsync(
            StepRequests.Step(caseId, "reassign", ("department_code", "NOPE"), ("reason", "分错了")), manager).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, reassign.StatusCode);
        Assert.Equal(2, server.Scalar("SELECT event_count FROM cases"));
    }
}
