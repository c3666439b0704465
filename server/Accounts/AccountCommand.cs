using ServiceHall.Server.Domain;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Accounts;

/// <summary>
/// The command-line step that creates staff accounts, the first administrator included — no default password ships:
/// <c>ServiceHall.Server accounts add --user NAME --name 显示名 --role hall-manager [--department CODE]</c>,
/// with the password in the SERVICEHALL_PASSWORD environment variable (never on the command line, where it would
/// show in the process list and shell history).
/// </summary>
public static class AccountCommand
{
    public static bool IsInvoked(string[] args) => args.Length >= 2 && args[0] == "accounts" && args[1] == "add";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var role = Option("--role") switch
        {
            "department-handler" => StaffRole.DepartmentHandler,
            "hall-manager" => StaffRole.HallManager,
            "supervisor" => StaffRole.Supervisor,
            "auditor" => StaffRole.Auditor,
            "administrator" => StaffRole.Administrator,
            _ => (StaffRole?)null,
        };
        var password = Environment.GetEnvironmentVariable("SERVICEHALL_PASSWORD");
        if (Option("--user") is not { } user || role is null || string.IsNullOrEmpty(password))
        {
            await Console.Error.WriteLineAsync(
                "usage: SERVICEHALL_PASSWORD=... ServiceHall.Server accounts add --user NAME [--name 显示名] " +
                "--role department-handler|hall-manager|supervisor|auditor|administrator [--department CODE]");
            return 2;
        }

        await services.GetRequiredService<CatalogSource>().LoadAsync(CancellationToken.None);
        try
        {
            var account = await services.GetRequiredService<StaffSignIn>().CreateAccountAsync(
                user, Option("--name") ?? user, role.Value, Option("--department"), password, CancellationToken.None);
            Console.WriteLine($"account {account.UserName} ({account.Role}) created");
            return 0;
        }
        catch (InvalidInputException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
    }
}
