namespace ServiceHall.Server.Storage;

/// <summary>
/// A demo tool (invented ratings, demo accounts, the demo kiosk) was pointed at a store that was not created as a demo
/// store, such as a district's real database: it is refused and nothing is written (docs/deployment.md#demo-stores).
/// </summary>
public sealed class NotADemoStoreException(string tool) : Exception(
    $"{tool} refused: this store was not created as a demo store (it holds a district's own catalog, or was created before "
    + "stores recorded their origin). Demo tools only ever write to a demo store; point Storage:DatabasePath at a fresh "
    + "file and leave Storage:PostgresConnectionString unset for a demo.")
{
    public string Tool { get; } = tool;
}
