namespace Helsingborg.Access;

/// <summary>A coordinator as colleagues know them: the stable id a case's history carries, and the name shown for it.</summary>
public sealed record Worker(string Id, string Name, string Organisation);
