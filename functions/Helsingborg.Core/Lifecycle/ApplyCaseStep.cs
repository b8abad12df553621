using System.Text.Json;
using Helsingborg.Cases;
using Helsingborg.DataProtection;
using Helsingborg.Reminders;
using Helsingborg.Timeline;
using Microsoft.DurableTask;

namespace Helsingborg.Lifecycle;

/// <summary>
/// Everything one step of a case changes outside the orchestration: erasure, the timeline entries, the
/// reminders that fell due or were made done, the links to other reports of the same person, and the read model. Ids, enums, dates and counts only — never personal data.
/// </summary>
/// <param name="State">The case's state after the step.</param>
/// <param name="Erase">Personal data is erased now (consent withdrawn).</param>
/// <param name="Entries">The timeline entries of the step, in order.</param>
/// <param name="Reminders">The reminders that fell due.</param>
/// <param name="Project">The read model must be brought up to <paramref name="State"/>.</param>
/// <param name="Ended">The kinds of the case's reminders the step made done (their open reminders are acknowledged by the
/// system); null when none, and then left out of the JSON, so steps written before it existed read and replay the same.</param>
/// <param name="Token">The call's token (<see cref="CallAnswer"/>), echoed in the answer; null under rules before <see cref="CaseRules.CheckedAnswers"/>.</param>
/// <param name="Links">The links to other reports of the same person the step made or removed, in order (case ids only); null when
/// none, and then left out of the JSON, so steps written before links existed read and replay the same.</param>
public sealed record CaseStep(
    CaseState State,
    bool Erase,
    IReadOnlyList<TimelineEntry> Entries,
    IReadOnlyList<ReminderDue> Reminders,
    bool Project,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ReminderKind>? Ended = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Token = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<PersonLinkChange>? Links = null)
{
    /// <summary>True when the step changes nothing outside the orchestration.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsEmpty => !Erase && Entries.Count == 0 && Reminders.Count == 0 && !Project && Ended is not { Count: > 0 } && Links is not { Count: > 0 };
}

/// <summary>A link between this case and <paramref name="Other"/> (a case id) made (<paramref name="Linked"/>) or removed by a step.</summary>
public sealed record PersonLinkChange(string Other, bool Linked);

/// <summary>
/// The case orchestration's step activity: carries out a step's effects, so that a step costs the history one
/// scheduled and one completed event. Idempotent by natural keys (erasure destroys a key that may already be
/// gone; a timeline entry is keyed by its event id; a reminder by case, kind and due time; the projection is
/// an upsert of the same state), so a retry or a replay never makes a second entry, reminder or count.
/// It answers the inbox's head, so the orchestration learns of accepted events that were not raised to it. An urgent
/// reminder is put in the outbox of pushes after it is created, on a retry too, so it is pushed within the minute.
/// </summary>
public sealed class ApplyCaseStep(CaseProjectionStore projections, TimelineStore timeline, ReminderStore reminders, Referrals.ReferralStore referrals, Persons.PersonLinkStore links, CaseVault vault, CaseInbox inbox, UrgentPushOutbox pushes, TimeProvider clock)
    : TaskActivity<CaseStep, StepDone>
{
    public override Task<StepDone> RunAsync(TaskActivityContext context, CaseStep input) => ApplyAsync(input);

    /// <summary>Erasure first, then the timeline, reminders and projection side by side; then the inbox's head.</summary>
    public async Task<StepDone> ApplyAsync(CaseStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        CaseState state = step.State;
        if (step.Erase)
        {
            await vault.EraseAsync(state.CaseId);
        }

        var effects = new List<Task>(step.Entries.Count + 2);
        effects.AddRange(step.Entries.Select(entry => timeline.AppendAsync(entry)));
        // A merged case waits for nothing: every open reminder of it is done (the surviving case keeps its own clocks). Read
        // from the step's applied merged-into entry rather than listed as kinds, so the step's input stays the same when a
        // later release adds a kind of reminder.
        bool merged = step.Entries.Any(e => e.Type == MergedIntoType && !e.Refused);
        if (step.Reminders.Count > 0 || step.Ended is { Count: > 0 } || merged)
        {
            effects.Add(CreateRemindersAsync(state.CaseId, state.Reference, step.Reminders, step.Ended ?? [], merged));
        }

        if (step.Project)
        {
            effects.Add(projections.ProjectAsync(state));
            effects.Add(referrals.SyncAsync(state));
        }

        if (step.Links is { Count: > 0 } changes)
        {
            effects.Add(links.ApplyAsync(state, changes));
        }

        await Task.WhenAll(effects);
        return new StepDone(await inbox.HeadAsync(state.CaseId), step.Token);
    }

    /// <summary>Creates (or escalates) the reminders that fell due, then acknowledges, as the system, the open ones the step made done.</summary>
    async Task CreateRemindersAsync(string caseId, string? reference, IReadOnlyList<ReminderDue> due, IReadOnlyList<ReminderKind> ended, bool endAll)
    {
        foreach (ReminderDue reminder in due)
        {
            bool urgent = pushes.IsUrgent(reminder);
            await reminders.CreateAsync(caseId, reminder.Kind, reminder.DueAt, reminder.Organisation, reminder.Escalated, subject: reminder.Subject, push: urgent, reference: reference);
            if (urgent)
            {
                await pushes.EnqueueAsync(ReminderStore.IdOf(caseId, reminder.Kind, reminder.DueAt, reminder.Subject), clock.GetUtcNow());
            }
        }

        IEnumerable<ReminderKind?> kinds = endAll ? [null] : ended.Select(k => (ReminderKind?)k);
        foreach (ReminderKind? kind in kinds)
        {
            foreach (Reminder open in await reminders.ListAsync(caseId, acknowledged: false, kind: kind))
            {
                await reminders.AcknowledgeAsync(open.ReminderId, SystemActor, clock.GetUtcNow());
            }
        }
    }

    static readonly string MergedIntoType = KebabCase.Name(CaseEventType.MergedInto);

    /// <summary>Who acknowledges a reminder an event made done.</summary>
    public const string SystemActor = "system";
}

/// <summary><see cref="ApplyCaseStep"/>'s answer: the inbox's head after the step, and the token of the call it answers.</summary>
public sealed record StepDone(long Head, string? Token = null)
{
    /// <summary>
    /// The answer to the call with <paramref name="token"/>, or null when <paramref name="answer"/> is not it. Before
    /// <see cref="CaseRules.CheckedAnswers"/> the answer was the bare head, and a call had no token.
    /// </summary>
    public static StepDone? Of(JsonElement answer, string? token) => answer.ValueKind switch
    {
        JsonValueKind.Number when token is null && answer.TryGetInt64(out long head) => new StepDone(head),
        JsonValueKind.Object when answer.TryGetProperty("head", out JsonElement head) && head.TryGetInt64(out long value)
            && CallAnswer.Echoes(answer, token) => new StepDone(value, token),
        _ => null,
    };
}
