namespace Helsingborg.Lifecycle;

/// <summary>
/// A setting added to <see cref="CasePolicy"/> after cases were opened: the durable payloads leave it out while it has
/// its default (<see cref="DurableJson"/>), so a step of an open case, which carries its policy, is written as it was
/// recorded before the setting existed, and its history replays.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OmittedWhenDefaultAttribute : Attribute;
