using Helsingborg.Timeline;

namespace Helsingborg.Lifecycle;

/// <summary>Folds a step's decisions (a deadline, events in inbox order) into one <see cref="CaseStep"/>.</summary>
public sealed class StepBuilder(CaseState state)
{
    readonly List<TimelineEntry> entries = [];
    readonly List<ReminderDue> reminders = [];
    readonly List<ReminderKind> ended = [];
    readonly List<PersonLinkChange> links = [];
    bool erase;

    public CaseState State { get; private set; } = state;

    public void Deadline(DateTimeOffset now, DateTimeOffset? due)
    {
        Decision decision = CaseDecider.OnDeadline(State, now);
        Add(decision, SystemEntry(State, decision.State, due));
    }

    /// <summary>Applies or refuses the event; either way it is taken in, and its number is passed.</summary>
    public Refusal? Event(CaseEvent e, DateTimeOffset now)
    {
        Decision decision = CaseDecider.Apply(State, e, now);
        // A transfer's entries name the organisation asked and the reason it declined (ids and codes, nothing personal).
        string? outcome = decision.Refused is not null ? null : e switch
        {
            ConsentWithdrawn when !decision.State.Erased => TimelineEntry.RecordKept,
            TransferRequested requested => requested.ToOrganisation,
            TransferDeclined declined => KebabCase.Name(declined.Reason),
            _ => null,
        };
        // A worker-assigned names the worker it gives the case to, by id (the name is found when the timeline is read).
        string? worker = (e as WorkerAssigned)?.Worker;
        Add(decision, new TimelineEntry(State.CaseId, e.EventId, e.At, KebabCase.Name(e.Type), e.By, decision.Refused is not null, e.HasNote, decision.Refused?.Reason, outcome, worker));
        if (decision.Refused is null && e is SamePersonAs or SamePersonUnlinked && e is OtherCaseEvent { OtherCaseId: { } other })
        {
            links.Add(new PersonLinkChange(other, Linked: e is SamePersonAs));
        }

        State = State with { Applied = Math.Max(State.Applied, e.Seq) };
        return decision.Refused;
    }

    public CaseStep Build(bool project) =>
        new(State, erase, entries, reminders, project, ended.Count == 0 ? null : [.. ended.Distinct()], Links: links.Count == 0 ? null : [.. links]);

    void Add(Decision decision, TimelineEntry? entry)
    {
        if (entry is not null)
        {
            entries.Add(entry);
        }

        reminders.AddRange(decision.Reminders);
        ended.AddRange(decision.Ended ?? []);
        erase |= decision.EraseNow;
        State = decision.State;
    }

    /// <summary>A phase change made by a deadline (no contact, evaluation given up) shows in the timeline as the system's.</summary>
    static TimelineEntry? SystemEntry(CaseState before, CaseState after, DateTimeOffset? due) =>
        before.Phase == after.Phase || due is null
            ? null
            : new TimelineEntry(
                after.CaseId,
                $"system-{due.Value.UtcTicks}",
                due.Value,
                after.Phase == Phase.Completed ? "evaluation-recorded" : "case-closed",
                "system",
                Refused: false,
                HasNote: false);
}
