namespace Helsingborg.Access;

/// <summary>
/// <c>GET /api/workers</c>: the coordinators of the caller's organisation, to whom a case can be handed over, by name;
/// <see cref="Me"/> is the caller's own id among them.
/// </summary>
public sealed record WorkerList(string Me, IReadOnlyList<Colleague> Items);

/// <summary>A coordinator of the caller's organisation: the id a worker-assigned names, and the name shown for it.</summary>
public sealed record Colleague(string Id, string Name);
