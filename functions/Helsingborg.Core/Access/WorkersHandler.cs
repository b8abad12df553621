using Helsingborg.Http;
using Microsoft.AspNetCore.Http;

namespace Helsingborg.Access;

/// <summary>
/// <c>GET /api/workers</c>: who a coordinator can hand a case over to (worker-assigned with <c>worker</c>): the coordinators
/// of the caller's own organisation, the caller among them, and no one else's.
/// </summary>
public sealed class WorkersHandler(WorkerDirectory workers)
{
    public async Task<IResult> ListAsync(ApiCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        Caller caller = call.Authenticated;
        IReadOnlyList<Worker> colleagues = await workers.ColleaguesAsync(caller.Organisation, call.Aborted);
        var items = colleagues.Select(w => new Colleague(w.Id, w.Name)).ToList();
        if (!items.Any(c => c.Id == caller.Id))
        {
            items.Insert(0, new Colleague(caller.Id, caller.Name ?? caller.Id));
        }

        return Results.Json(new WorkerList(caller.Id, items), ApiJson.Options);
    }
}
