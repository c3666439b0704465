using Microsoft.Data.Sqlite;
using ServiceHall.Protos.V1;

namespace ServiceHall.Server.Tests.Grpc;

public sealed class RestartTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("servicehall-restart-").FullName;

    [Fact]
    public async Task SubmitRatings_AfterARestartOnTheSameFile_EarlierIdStillRecognised()
    {
        var rating = ServerFactory.GoodRating();
        using (var first = new ServerFactory(_directory, ownsDirectory: false))
        {
            await first.CreateRatingClient().SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { rating } });
        }

        using var second = new ServerFactory(_directory, ownsDirectory: false);
        var result = (await second.CreateRatingClient().SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { rating } })).Results.Single();

        Assert.Equal(RatingOutcome.AlreadyStored, result.Outcome);
        Assert.Equal(1, second.CountRatings(rating.RatingId));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (TestStore.IsPostgres)
        {
            TestStore.DropPostgresDatabase(TestStore.DatabaseNameFor(_directory));
        }

        Directory.Delete(_directory, recursive: true);
    }
}
