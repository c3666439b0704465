// A stand-in for a window's business system (一次一评): reports finished transactions to the server, which invites
// the window's pad to rate them. Arguments are parsed by hand; the tool has a handful.
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using ServiceHall.Protos.V1;

const string Usage = """
    ServiceHall.WindowSimulator — finishes transactions at a window, as its business system would.

      --server URL        the server's gRPC address (default http://127.0.0.1:5100)
      --credential TEXT   an enrolled device's credential (ServiceHall.Server kiosks enroll ...)   [required]
      --window CODE       the window, e.g. A01                                                       [required]
      --item CODE         the service item's 实施编码                                                [required]
      --staff ID          工号 of who served (default: none)
      --hall CODE         the hall (default 370104-ZWZX)
      --number N          办件编号 (default: generated)
      --demo SECONDS      keep finishing one transaction every SECONDS until Ctrl+C
    """;

var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i < args.Length; i++)
{
    if (args[i] is "-h" or "--help")
    {
        Console.WriteLine(Usage);
        return 0;
    }
    if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
    {
        Console.Error.WriteLine($"Unexpected argument '{args[i]}'.\n\n{Usage}");
        return 2;
    }
    options[args[i][2..]] = args[++i];
}

string? Option(string name) => options.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

var credential = Option("credential");
var window = Option("window");
var item = Option("item");
if (credential is null || window is null || item is null)
{
    Console.Error.WriteLine($"--credential, --window and --item are required.\n\n{Usage}");
    return 2;
}
int? demoSeconds = null;
if (Option("demo") is { } demo)
{
    if (!int.TryParse(demo, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds < 1)
    {
        Console.Error.WriteLine("--demo takes a whole number of seconds (1 or more).");
        return 2;
    }
    demoSeconds = seconds;
}

using var channel = GrpcChannel.ForAddress(Option("server") ?? "http://127.0.0.1:5100");
var client = new TransactionService.TransactionServiceClient(channel);
var headers = new Metadata { { "authorization", "Bearer " + credential } };
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

async Task<bool> CompleteAsync(string number)
{
    var request = new CompleteTransactionRequest
    {
        TransactionNumber = number,
        HallCode = Option("hall") ?? "370104-ZWZX",
        WindowCode = window,
        ServiceItemCode = item,
        StaffId = Option("staff") ?? "",
    };
    try
    {
        var response = await client.CompleteTransactionAsync(request, headers, DateTime.UtcNow.AddSeconds(10), stop.Token);
        var rateBy = response.RateBy.ToDateTimeOffset().ToLocalTime();
        Console.WriteLine($"{number}  short code {response.ShortCode}  rate by {rateBy.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}");
        return true;
    }
    catch (RpcException ex)
    {
        Console.Error.WriteLine($"{number}: {ex.StatusCode} {ex.Status.Detail}");
        return false;
    }
}

string NewNumber() => "SIM" + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);

if (demoSeconds is not { } every)
{
    return await CompleteAsync(Option("number") ?? NewNumber()) ? 0 : 1;
}

Console.WriteLine($"Finishing one transaction at window {window} every {every} s; Ctrl+C stops.");
while (!stop.IsCancellationRequested)
{
    await CompleteAsync(NewNumber());
    try
    {
        await Task.Delay(TimeSpan.FromSeconds(every), stop.Token);
    }
    catch (OperationCanceledException)
    {
        break;
    }
}
return 0;
