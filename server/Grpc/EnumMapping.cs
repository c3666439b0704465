using ServiceHall.Server.Domain;
using Proto = ServiceHall.Protos.V1;

namespace ServiceHall.Server.Grpc;

/// <summary>
/// Explicit maps between the domain's enums and the contract's. The two happen to share numbers today, but a cast
/// would silently carry a renumbered or newly added value across; a switch makes the compiler and the tests notice.
/// From the contract, UNSPECIFIED and values this server does not know are refused as invalid input.
/// </summary>
internal static class EnumMapping
{
    public static Proto.RatingLevel ToProto(this RatingLevel level) => level switch
    {
        RatingLevel.VerySatisfied => Proto.RatingLevel.VerySatisfied,
        RatingLevel.Satisfied => Proto.RatingLevel.Satisfied,
        RatingLevel.BasicallySatisfied => Proto.RatingLevel.BasicallySatisfied,
        RatingLevel.Dissatisfied => Proto.RatingLevel.Dissatisfied,
        RatingLevel.VeryDissatisfied => Proto.RatingLevel.VeryDissatisfied,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };

    /// <summary>The level, or null for UNSPECIFIED or an unknown value (the rating rules then reject the rating).</summary>
    public static RatingLevel? ToDomainOrNull(this Proto.RatingLevel level) => level switch
    {
        Proto.RatingLevel.VerySatisfied => RatingLevel.VerySatisfied,
        Proto.RatingLevel.Satisfied => RatingLevel.Satisfied,
        Proto.RatingLevel.BasicallySatisfied => RatingLevel.BasicallySatisfied,
        Proto.RatingLevel.Dissatisfied => RatingLevel.Dissatisfied,
        Proto.RatingLevel.VeryDissatisfied => RatingLevel.VeryDissatisfied,
        _ => null,
    };

    public static RatingLevel ToDomain(this Proto.RatingLevel level, string field) =>
        level.ToDomainOrNull() ?? throw new InvalidInputException(field, "评价等级未指定或未知");

    public static Proto.DeviceKind ToProto(this DeviceKind kind) => kind switch
    {
        DeviceKind.HallTerminal => Proto.DeviceKind.HallTerminal,
        DeviceKind.WindowPad => Proto.DeviceKind.WindowPad,
        DeviceKind.WindowSystem => Proto.DeviceKind.WindowSystem,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static DeviceKind ToDomain(this Proto.DeviceKind kind) => kind switch
    {
        Proto.DeviceKind.HallTerminal => DeviceKind.HallTerminal,
        Proto.DeviceKind.WindowPad => DeviceKind.WindowPad,
        Proto.DeviceKind.WindowSystem => DeviceKind.WindowSystem,
        _ => throw new InvalidInputException("kind", "须为大厅评价终端、窗口评价器或窗口业务系统"),
    };

    public static Proto.RatingChannel ToProto(this RatingChannel channel) => channel switch
    {
        RatingChannel.Pc => Proto.RatingChannel.Pc,
        RatingChannel.Mobile => Proto.RatingChannel.Mobile,
        RatingChannel.QrCode => Proto.RatingChannel.QrCode,
        RatingChannel.HallPad => Proto.RatingChannel.HallPad,
        RatingChannel.HallTerminal => Proto.RatingChannel.HallTerminal,
        RatingChannel.Phone => Proto.RatingChannel.Phone,
        RatingChannel.Sms => Proto.RatingChannel.Sms,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, null),
    };

    /// <summary>The channel, or null for UNSPECIFIED or an unknown value (the rating rules then reject the rating).</summary>
    public static RatingChannel? ToDomainOrNull(this Proto.RatingChannel channel) => channel switch
    {
        Proto.RatingChannel.Pc => RatingChannel.Pc,
        Proto.RatingChannel.Mobile => RatingChannel.Mobile,
        Proto.RatingChannel.QrCode => RatingChannel.QrCode,
        Proto.RatingChannel.HallPad => RatingChannel.HallPad,
        Proto.RatingChannel.HallTerminal => RatingChannel.HallTerminal,
        Proto.RatingChannel.Phone => RatingChannel.Phone,
        Proto.RatingChannel.Sms => RatingChannel.Sms,
        _ => null,
    };

    public static RatingChannel ToDomain(this Proto.RatingChannel channel, string field) =>
        channel.ToDomainOrNull() ?? throw new InvalidInputException(field, "评价渠道未指定或未知");

    public static Proto.StaffRole ToProto(this StaffRole role) => role switch
    {
        StaffRole.DepartmentHandler => Proto.StaffRole.DepartmentHandler,
        StaffRole.HallManager => Proto.StaffRole.HallManager,
        StaffRole.Supervisor => Proto.StaffRole.Supervisor,
        StaffRole.Auditor => Proto.StaffRole.Auditor,
        StaffRole.Administrator => Proto.StaffRole.Administrator,
        StaffRole.Moderator => Proto.StaffRole.Moderator,
        StaffRole.DisclosureOfficer => Proto.StaffRole.DisclosureOfficer,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    public static StaffRole ToDomain(this Proto.StaffRole role, string field) => role switch
    {
        Proto.StaffRole.DepartmentHandler => StaffRole.DepartmentHandler,
        Proto.StaffRole.HallManager => StaffRole.HallManager,
        Proto.StaffRole.Supervisor => StaffRole.Supervisor,
        Proto.StaffRole.Auditor => StaffRole.Auditor,
        Proto.StaffRole.Administrator => StaffRole.Administrator,
        Proto.StaffRole.Moderator => StaffRole.Moderator,
        Proto.StaffRole.DisclosureOfficer => StaffRole.DisclosureOfficer,
        _ => throw new InvalidInputException(field, "角色未指定或未知"),
    };

    public static Proto.DraftTextField ToProto(this DraftTextField field) => field switch
    {
        DraftTextField.CitizenText => Proto.DraftTextField.CitizenText,
        DraftTextField.WhatWasDone => Proto.DraftTextField.WhatWasDone,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    public static DraftTextField ToDomain(this Proto.DraftTextField value, string field) => value switch
    {
        Proto.DraftTextField.CitizenText => DraftTextField.CitizenText,
        Proto.DraftTextField.WhatWasDone => DraftTextField.WhatWasDone,
        _ => throw new InvalidInputException(field, "须指明是群众的评价文字还是整改情况"),
    };
}
