using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using ServiceHall.Dashboard.Services.Casework;

namespace ServiceHall.Dashboard.Tests;

/// <summary>The shared reader of the server's refusals (frontend/RpcErrors.cs), as the kiosk and the console use it.</summary>
public sealed class RpcErrorsTests
{
    /// <summary>An InvalidArgument the way the server sends one: the reason as message, the field as a BadRequest detail.</summary>
    public static RpcException FieldRefused(string field, string reason) => new Google.Rpc.Status
    {
        Code = (int)StatusCode.InvalidArgument,
        Message = reason,
        Details = { Any.Pack(new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = field, Description = reason } } }) },
    }.ToRpcException();

    [Fact]
    public void Read_BadRequest_FieldAndReasonAsData()
    {
        var error = RpcErrors.Read(FieldRefused("due_day", "整改期限不能早于今天"));

        Assert.Equal(StatusCode.InvalidArgument, error.Code);
        Assert.Equal("整改期限不能早于今天", error.Message);
        Assert.Equal(new FieldError("due_day", "整改期限不能早于今天"), error.FirstFieldError);
    }

    [Fact]
    public void Read_SeveralFieldViolations_AllInOrder()
    {
        var e = new Google.Rpc.Status
        {
            Code = (int)StatusCode.InvalidArgument,
            Message = "两处有误",
            Details =
            {
                Any.Pack(new BadRequest
                {
                    FieldViolations =
                    {
                        new BadRequest.Types.FieldViolation { Field = "from_day", Description = "须为日期" },
                        new BadRequest.Types.FieldViolation { Field = "to_day", Description = "须为日期" },
                    },
                }),
            },
        }.ToRpcException();

        Assert.Equal(["from_day", "to_day"], RpcErrors.Read(e).FieldErrors.Select(f => f.Field));
    }

    [Fact]
    public void Read_PreconditionFailure_TheConditionNamed()
    {
        var e = new Google.Rpc.Status
        {
            Code = (int)StatusCode.FailedPrecondition,
            Message = "该办件已评价，每次办理只能评价一次",
            Details =
            {
                Any.Pack(new PreconditionFailure
                {
                    Violations = { new PreconditionFailure.Types.Violation { Type = "TRANSACTION_RATED", Description = "该办件已评价，每次办理只能评价一次" } },
                }),
            },
        }.ToRpcException();

        var error = RpcErrors.Read(e);

        Assert.Equal("TRANSACTION_RATED", error.Condition);
        Assert.Equal("该办件已评价，每次办理只能评价一次", error.Message);
        Assert.Null(RpcErrors.Read(new RpcException(new Grpc.Core.Status(StatusCode.FailedPrecondition, "已超过期限"))).Condition);
    }

    [Fact]
    public void Read_ResourceInfo_TheMissingThing()
    {
        var e = new Google.Rpc.Status
        {
            Code = (int)StatusCode.NotFound,
            Message = "没有案件 c-1",
            Details = { Any.Pack(new ResourceInfo { ResourceType = "case", ResourceName = "c-1", Description = "没有案件 c-1" }) },
        }.ToRpcException();

        var error = RpcErrors.Read(e);

        Assert.Equal((StatusCode.NotFound, "没有案件 c-1", "case", "c-1"), (error.Code, error.Message, error.ResourceType, error.ResourceName));
        Assert.Empty(error.FieldErrors);
    }

    [Fact]
    public void Read_StatusWithoutDetails_MessageOnly()
    {
        var error = RpcErrors.Read(new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "connection refused")));

        Assert.Equal((StatusCode.Unavailable, "connection refused"), (error.Code, error.Message));
        Assert.Null(error.FirstFieldError);
        Assert.Null(error.ResourceType);
    }

    [Fact]
    public void ConsoleCall_InvalidArgumentWithField_ShowsTheFieldsChineseName()
    {
        var failure = ConsoleCallException.From(FieldRefused("password", "不能为空"));
        var stepInput = ConsoleCallException.From(FieldRefused("due_day", "整改期限不能早于今天"));

        Assert.Equal((ConsoleFailure.InvalidInput, "password"), (failure.Failure, failure.Field));
        Assert.Equal("密码：不能为空", failure.UserMessage);
        // A step's input is named by the label the server gave it in the step's offer.
        Assert.Equal(
            "整改期限：整改期限不能早于今天",
            stepInput.MessageFor(StaffConsole.TestCases.Offer("rectify_by_deadline").ToOfferedStep()));
    }

    [Fact]
    public void ConsoleCall_MessageThatLooksLikeFieldColonReason_NotSplit()
    {
        // Only the structured detail names a field; a colon in the words is just words.
        var failure = ConsoleCallException.From(new RpcException(new Grpc.Core.Status(StatusCode.InvalidArgument, "due_day: 整改期限不能早于今天")));

        Assert.Null(failure.Field);
        Assert.Equal("due_day: 整改期限不能早于今天", failure.UserMessage);
    }
}
