namespace Helsingborg.Cases;

/// <summary>
/// The <c>assignee</c> filter of the case and reminder lists: <c>me</c>, the cases the caller holds; <c>none</c>, the caller's
/// organisation's unassigned cases (led by it, or by no one yet, and held by no one).
/// </summary>
public enum AssigneeFilter
{
    Me,
    None,
}
