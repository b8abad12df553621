using Helsingborg.Access;
using Microsoft.AspNetCore.Http;

namespace Helsingborg.Cases;

/// <summary>Reading and applying <see cref="AssigneeFilter"/>.</summary>
public static class Assignees
{
    public const string Parameter = "assignee";

    /// <summary>The filter the query names, or null; a value other than <c>me</c> or <c>none</c> is an error.</summary>
    public static AssigneeFilter? Read(IQueryCollection query, IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(errors);
        switch (query[Parameter].FirstOrDefault())
        {
            case null:
                return null;
            case "me":
                return AssigneeFilter.Me;
            case "none":
                return AssigneeFilter.None;
            default:
                errors[Parameter] = ["Must be me or none."];
                return null;
        }
    }

    /// <summary>Whether a case led by <paramref name="lead"/> and held by <paramref name="worker"/> passes the filter for the caller.</summary>
    public static bool Matches(AssigneeFilter? filter, Caller caller, string? lead, string? worker)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return filter switch
        {
            AssigneeFilter.Me => worker == caller.Id,
            AssigneeFilter.None => string.IsNullOrEmpty(worker) && (lead is null || lead == caller.Organisation),
            _ => true,
        };
    }
}
