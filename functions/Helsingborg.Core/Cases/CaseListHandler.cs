using Azure.Data.Tables;
using Helsingborg.Http;
using Helsingborg.Lifecycle;
using Helsingborg.Partners;
using Helsingborg.Storage;
using Microsoft.AspNetCore.Http;

namespace Helsingborg.Cases;

/// <summary>A page of <c>GET /api/cases</c>: <see cref="Next"/> is the cursor of the next page, null at the end.</summary>
public sealed record CaseListPage(IReadOnlyList<CaseListItem> Items, string? Next);

/// <summary>
/// One row of the case list: anonymous facts only (data-protection.md rule 5); <see cref="Worker"/> is the coordinator who
/// holds the case (null when no one does).
/// </summary>
public sealed record CaseListItem(string CaseId, string? Reference, string? Phase, string? Step, string? Lead, bool Minor, string? Municipality, DateTimeOffset? OpenedAt, DateTimeOffset? NextDueAt, bool Overdue,
    AssignedWorker? Worker = null);

/// <summary>
/// <c>GET /api/cases</c>: the coordinators' case list. Open phases (the default, and <c>overdue=true</c>)
/// read the <c>OpenCases</c> index, so a page costs in proportion to the open cases, not to every case
/// ever opened; only <c>phase=closed|completed</c> reads the <c>Cases</c> table. Filters are pushed into
/// the table query; visibility (<see cref="CaseAccess"/>) is applied to each page, so a page may hold
/// fewer than <c>limit</c> items while <c>next</c> still leads on.
/// </summary>
public sealed class CaseListHandler(CaseStorage storage, CaseReferenceStore references, CaseProjectionStore projections, Access.WorkerDirectory workers, Partners.CityProfile profile, TimeProvider clock)
{
    readonly TableClient cases = storage.Table(CaseStorage.CasesTable);
    readonly TableClient open = storage.Table(CaseStorage.OpenCasesTable);

    public async Task<IResult> ListAsync(ApiCall call)
    {
        IQueryCollection query = call.Request.Query;
        var errors = new Dictionary<string, string[]>();
        Phase? phase = Parse<Phase>(query, "phase", errors);
        string? lead = query["lead"].FirstOrDefault();
        IReadOnlyList<string> leads = profile.Holding(Partners.OrganisationProfile.LeadRole);
        if (lead is not null && !leads.Contains(lead, StringComparer.Ordinal))
        {
            errors["lead"] = [$"Must be one of: {string.Join(", ", leads)}."];
        }

        string? municipality = query["municipality"].FirstOrDefault();
        if (municipality is not null && !profile.IsMunicipality(municipality))
        {
            errors["municipality"] = ["Must be a municipality code."];
        }

        bool? minor = ParseBool(query, "minor", errors);
        bool overdue = ParseBool(query, "overdue", errors) ?? false;
        (int limit, string? continuation) = Paging.Read(query, errors);
        CaseReference? reference = ParseReference(query, errors);
        AssigneeFilter? assignee = Assignees.Read(query, errors);
        foreach (string name in query.Keys.Where(k => k is not ("phase" or "lead" or "municipality" or "minor" or "overdue" or "limit" or "cursor" or "lang" or "reference" or Assignees.Parameter)))
        {
            errors[name] = ["Unknown filter."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        DateTimeOffset now = clock.GetUtcNow();
        if (reference is { } wanted)
        {
            return Results.Json(new CaseListPage(await FindAsync(call, wanted, now), Next: null), ApiJson.Options);
        }

        bool closedPhase = phase is Phase.Closed or Phase.Completed;
        var filters = new List<string>();
        if (!closedPhase)
        {
            filters.Add("PartitionKey eq 'open'");
        }

        if (phase is { } p)
        {
            filters.Add(TableClient.CreateQueryFilter($"Phase eq {KebabCase.Name(p)}"));
        }

        if (lead is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"Lead eq {lead}"));
        }

        if (municipality is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"Municipality eq {municipality}"));
        }

        if (minor is { } m)
        {
            filters.Add(TableClient.CreateQueryFilter($"Minor eq {m}"));
        }

        if (overdue)
        {
            filters.Add(TableClient.CreateQueryFilter($"NextDueAt lt {now}"));
        }

        if (assignee == AssigneeFilter.Me)
        {
            filters.Add(TableClient.CreateQueryFilter($"Worker eq {call.Authenticated.Id}"));
        }

        TableClient table = closedPhase ? cases : open;
        string[] select = ["PartitionKey", "RowKey", "Reference", "Phase", "Step", "Lead", "Worker", "Minor", "Municipality", "OpenedAt", "NextDueAt", "TransferTo", "FormerLeads"];
        var items = new List<CaseListItem>();
        string? next = null;
        await foreach (var page in table.QueryAsync<TableEntity>(string.Join(" and ", filters), maxPerPage: limit, select: select, cancellationToken: call.Aborted).AsPages(continuation, limit))
        {
            foreach (TableEntity row in page.Values)
            {
                string caseId = closedPhase ? row.PartitionKey : row.RowKey;
                string? rowLead = row.GetString("Lead");
                // A case the caller is asked to take over is no one's of its organisation yet: in "my" lists and the unassigned alike.
                Access.CaseAccess access = CaseRow.AccessOf(profile, call.Authenticated, row);
                if (!access.Sees || (access.Level != Access.CaseAccessLevel.ReadOnly && !Assignees.Matches(assignee, call.Authenticated, rowLead, row.GetString("Worker"))))
                {
                    continue;
                }

                items.Add(await ItemAsync(caseId, row, now, call.Aborted));
            }

            next = Paging.Encode(page.ContinuationToken);
            break;
        }

        return Results.Json(new CaseListPage(items, next), ApiJson.Options);
    }

    async Task<CaseListItem> ItemAsync(string caseId, TableEntity row, DateTimeOffset now, CancellationToken cancellationToken)
    {
        DateTimeOffset? due = row.GetDateTimeOffset("NextDueAt");
        return new CaseListItem(caseId, row.GetString("Reference"), row.GetString("Phase"), row.GetString("Step"), row.GetString("Lead"), row.GetBoolean("Minor") == true,
            row.GetString("Municipality"), row.GetDateTimeOffset("OpenedAt")?.ToUniversalTime(), due?.ToUniversalTime(), due < now,
            await AssignedWorker.OfAsync(workers, row.GetString("Worker"), since: null, cancellationToken));
    }

    /// <summary>
    /// <c>reference</c>: one written case reference, alone (with <c>lang</c> at most). Its letters may be of either case; the
    /// number is written with at least four digits, as the reference is.
    /// </summary>
    CaseReference? ParseReference(IQueryCollection query, Dictionary<string, string[]> errors)
    {
        if (!query.ContainsKey("reference"))
        {
            return null;
        }

        if (query["reference"].Count != 1 || !CaseReference.TryParse(query["reference"][0], out CaseReference reference))
        {
            errors["reference"] = [$"Must be one case reference, such as {profile.CaseReferencePrefix}-2026-0042."];
            return null;
        }

        if (query.Keys.Any(k => k is not ("reference" or "lang")))
        {
            errors["reference"] = ["Cannot be combined with other filters."];
            return null;
        }

        return reference;
    }

    /// <summary>
    /// The case of a reference, as a list of one, or none: another city's prefix, a number not given that year, or a case
    /// the caller may not see all answer an empty list alike.
    /// </summary>
    async Task<IReadOnlyList<CaseListItem>> FindAsync(ApiCall call, CaseReference reference, DateTimeOffset now)
    {
        if (!string.Equals(reference.Prefix, profile.CaseReferencePrefix, StringComparison.Ordinal)
            || await references.CaseIdOfAsync(reference, call.Aborted) is not { } caseId
            || await projections.GetAsync(caseId, call.Aborted) is not { } row
            || !row.AccessOf(profile, call.Authenticated).Sees)
        {
            return [];
        }

        return [await ItemAsync(caseId, row.Entity, now, call.Aborted)];
    }

    static T? Parse<T>(IQueryCollection query, string name, Dictionary<string, string[]> errors) where T : struct, Enum
    {
        if (query[name].FirstOrDefault() is not { } text)
        {
            return null;
        }

        if (KebabCase.TryParse(text, out T value))
        {
            return value;
        }

        errors[name] = [$"Must be one of: {string.Join(", ", KebabCase.Names<T>())}."];
        return null;
    }

    static bool? ParseBool(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        switch (query[name].FirstOrDefault())
        {
            case null:
                return null;
            case "true":
                return true;
            case "false":
                return false;
            default:
                errors[name] = ["Must be true or false."];
                return null;
        }
    }
}
