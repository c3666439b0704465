using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Accounts;
using DomainRole = ServiceHall.Server.Domain.StaffRole;
using StaffAccount = ServiceHall.Server.Domain.StaffAccount;

namespace ServiceHall.Server.Tests.Grpc;

/// <summary>
/// The real server with a clock the test moves, a password hasher that counts its work (and is cheap, so a test may
/// make hundreds of attempts), and streams that re-check their credential every second.
/// </summary>
public sealed class SecuredServer : ServerFactory
{
    public const string Password = "a long enough password";

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public CountingHasher Hasher { get; } = new();

    /// <summary>Further settings for one test's server; set before the server first starts.</summary>
    public Dictionary<string, string> Settings { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Accounts:StreamRecheckSeconds", "1");
        // The per-source limit is tested on its own; here every attempt comes from the one test client.
        builder.UseSetting("Accounts:FailuresPerSource", "100000");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IPasswordHasher<StaffAccount>>(Hasher);
        });
    }

    public async Task CreateAsync(string user, DomainRole role, string? department = null, string? hall = null, string password = Password) =>
        await Services.GetRequiredService<StaffSignIn>().CreateAccountAsync(user, user, role, department, password, CancellationToken.None, hall);

    public AccountService.AccountServiceClient Accounts(string? token = null) => new(Invoker(token));

    public async Task<string> SignInAsync(string user, string password = Password) =>
        (await Accounts().SignInAsync(new SignInRequest { UserName = user, Password = password })).AccessToken;

    public CallInvoker Invoker(string? bearer) => bearer is null
        ? CreateChannel().CreateCallInvoker()
        : CreateChannel().Intercept(m =>
        {
            m.Add("authorization", "Bearer " + bearer);
            return m;
        });

    /// <summary>Identity's PBKDF2 hasher with few iterations, counting every hash it computes.</summary>
    public sealed class CountingHasher : IPasswordHasher<StaffAccount>
    {
        private readonly PasswordHasher<StaffAccount> _inner =
            new(Microsoft.Extensions.Options.Options.Create(new PasswordHasherOptions { IterationCount = 1000 }));

        private int _verifications;

        public int Verifications => _verifications;

        public string HashPassword(StaffAccount user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(StaffAccount user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
