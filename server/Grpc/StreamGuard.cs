using Grpc.Core;
using Microsoft.Extensions.Options;
using ServiceHall.Server.Access;
using ServiceHall.Server.Accounts;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Kiosks;

namespace ServiceHall.Server.Grpc;

/// <summary>
/// What every authenticated server stream shares: a cap on how many one caller holds open (and all callers together,
/// <see cref="StreamLimits"/>), and a re-check of the
/// caller's token or credential every few seconds (AccountOptions.StreamRecheckSeconds), so a stream ends soon after
/// its session expires, is signed out or disabled, or its kiosk is revoked, not only when the caller leaves.
/// </summary>
public sealed class StreamGuard(
    StaffSignIn signIn, KioskRegistry kiosks, StreamLimits limits, IOptions<StreamOptions> streams, IOptions<AccountOptions> options,
    IHostApplicationLifetime lifetime)
{
    /// <summary>Runs a stream's loop until the caller leaves, the server stops or the credential stops being valid.</summary>
    public async Task RunAsync(ServerCallContext context, Func<CancellationToken, Task> loop)
    {
        var http = context.GetHttpContext();
        var credential = BearerCredential.Of(http.Request) ?? "";
        var (caller, isValid, ended) = http.User.StaffAccount() is { } account
            ? ("staff:" + account.Id, (Func<CancellationToken, Task<bool>>)(async t => await signIn.FindSessionAccountAsync(credential, t, touch: false) is not null),
                (Exception)new UnauthenticatedException("登录已失效，请重新登录"))
            : http.User.EnrolledKiosk() is { } kiosk
                ? ("kiosk:" + kiosk.DeviceId, async t => await kiosks.FindByCredentialAsync(credential, t) is { IsRevoked: false },
                    new AccessDeniedException($"设备 {kiosk.DeviceId} 的凭证已失效或已停用"))
                : throw new InvalidOperationException($"{context.Method} runs a guarded stream without a staff or kiosk caller");

        var perCaller = streams.Value.PerCaller;
        using var lease = limits.Open(caller, perCaller, $"同一账户或设备最多同时打开 {perCaller} 个实时连接");

        using var stream = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        var credentialEnded = false;
        var recheck = RecheckAsync();
        try
        {
            await loop(stream.Token);
        }
        catch (OperationCanceledException) when (credentialEnded)
        {
            throw ended;
        }
        finally
        {
            await stream.CancelAsync();
            await recheck;
        }

        async Task RecheckAsync()
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.StreamRecheckSeconds));
            try
            {
                while (await timer.WaitForNextTickAsync(stream.Token))
                {
                    if (!await isValid(stream.Token))
                    {
                        credentialEnded = true;
                        await stream.CancelAsync();
                        return;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The stream ended first.
            }
        }
    }
}
