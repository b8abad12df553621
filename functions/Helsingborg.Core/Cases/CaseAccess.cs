using Helsingborg.Access;
using Helsingborg.Lifecycle;

namespace Helsingborg.Cases;

/// <summary>
/// Which coordinators may see a case. A case led by the Salvation Army is one whose person chose not to
/// have contact with Swedish authorities (lifecycle.md, contact-made), so only Salvation Army coordinators
/// see it; every other case is visible to all coordinators. A case one may not see answers 404, exactly
/// like a case that does not exist.
/// </summary>
public static class CaseAccess
{
    public static bool MaySee(Caller caller, CaseRow row)
    {
        if (!caller.Roles.Contains(Role.Coordinator))
        {
            return false;
        }

        return row.State?.Lead != Lead.SalvationArmy || caller.Organisation == "salvation-army";
    }

    /// <summary>The same rule for an index row that holds the lead in kebab-case (null until contact).</summary>
    public static bool MaySee(Caller caller, string? lead) =>
        caller.Roles.Contains(Role.Coordinator)
        && (lead != KebabCase.Name(Lead.SalvationArmy) || caller.Organisation == "salvation-army");
}
