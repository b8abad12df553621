using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Helsingborg.Intake;
using Helsingborg.Storage;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Intake;

/// <summary>An Idempotency-Key whose first request died half-way is finished by the retry, never answered as done.</summary>
public sealed class IdempotencyStoreTests
{
    [Fact]
    public async Task A_retry_after_the_first_request_died_finishes_the_same_case_instead_of_replaying_it()
    {
        string connection = await TestStorage.ConnectionStringAsync();
        var storage = new CaseStorage(new TableServiceClient(connection), new BlobServiceClient(connection));
        await storage.EnsureCreatedAsync();
        var store = new IdempotencyStore(storage);
        string key = "night-report-" + Guid.NewGuid().ToString("N");
        DateTimeOffset first = DateTimeOffset.UtcNow;

        IdempotencyStore.Reservation owner = await store.ReserveAsync("hotel-group", key, "c_first", first, TimeSpan.FromSeconds(1), CancellationToken.None);
        Assert.False(owner.Replayed);

        // The owner never completes (its host was killed). The retry waits, then takes over the same case.
        IdempotencyStore.Reservation retry = await store.ReserveAsync("hotel-group", key, "c_second", DateTimeOffset.UtcNow, TimeSpan.FromMilliseconds(300), CancellationToken.None);
        Assert.False(retry.Replayed);
        Assert.Equal("c_first", retry.CaseId);

        // Once completed, a retry is a replay of that case.
        await store.CompleteAsync("hotel-group", key, CancellationToken.None);
        IdempotencyStore.Reservation replay = await store.ReserveAsync("hotel-group", key, "c_third", DateTimeOffset.UtcNow, TimeSpan.FromSeconds(1), CancellationToken.None);
        Assert.True(replay.Replayed);
        Assert.Equal("c_first", replay.CaseId);
    }
}
