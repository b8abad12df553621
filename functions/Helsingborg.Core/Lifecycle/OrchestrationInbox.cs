using System.Text.Json;
using Microsoft.DurableTask;

namespace Helsingborg.Lifecycle;

/// <summary>
/// The events on their way into one execution, handed out in inbox order (<see cref="CaseEvent.Seq"/>). Raised events may
/// arrive late, twice or out of order; the store (<see cref="CaseInbox"/>) is the truth, so a gap, or a head beyond what
/// arrived, is pulled from it by <see cref="ReadCaseInbox"/>, and a number at or below the applied one is a repeat.
/// One listener at a time, kept across rounds: a dropped listener would swallow the next event.
/// </summary>
public sealed class OrchestrationInbox
{
    /// <summary>How many events one pull takes: a step applies at most these, so a burst is spread over executions.</summary>
    public const int PullSize = 16;

    readonly TaskOrchestrationContext context;
    readonly SortedDictionary<long, CaseEvent> waiting = [];
    readonly List<CaseEvent> unnumbered = [];
    Task<CaseEvent>? listener;
    long head;

    public OrchestrationInbox(TaskOrchestrationContext context, IEnumerable<CaseEvent>? carried, long head = 0)
    {
        this.context = context;
        this.head = head;
        foreach (CaseEvent e in carried ?? [])
        {
            Add(e);
        }
    }

    /// <summary>The inbox's head as the last step's activity read it: events up to it exist, raised or not.</summary>
    public long Head => head;

    public void SawHead(long seen) => head = Math.Max(head, seen);

    /// <summary>
    /// Waits for the next thing to do: the events that follow <paramref name="state"/>'s applied number (pulling what has
    /// not arrived), or the timer of its next deadline.
    /// </summary>
    public async Task<Wake> NextAsync(CaseState state, DeadlineTimer timer, StepRunner steps)
    {
        // Each round takes in events, so the bound only matters under a flood of repeats: then a round-out counts as a step.
        for (int round = 0; round < 2 * PullSize; round++)
        {
            await TakeArrivedAsync();
            if (Ready(state.Applied) is { Count: > 0 } ready)
            {
                return Wake.Of(ready);
            }

            if (head > state.Applied || waiting.Count > 0)
            {
                (bool ok, InboxPulled? pulled) = await steps.CallAsync(nameof(ReadCaseInbox), token => new InboxRead(state.CaseId, state.Applied, PullSize, token), InboxPulled.Of);
                if (!ok)
                {
                    return Wake.Of([]);
                }

                // A pull costs the history an activity: it counts as a step, so pulls cannot grow one execution.
                steps.Count++;
                Pulled(state.Applied, pulled?.Events ?? []);
                continue;
            }

            Task<CaseEvent> listening = listener ??= context.WaitForExternalEvent<CaseEvent>(CaseOrchestration.EventName);
            if (timer.For(CaseDecider.NextDeadline(state)) is not { } firing)
            {
                await listening;
            }
            else if (await Task.WhenAny(listening, firing) == firing)
            {
                return timer.Fired();
            }

            await DrainAsync();
        }

        return Wake.Of([]);
    }

    /// <summary>
    /// Takes in every event the runtime already holds (they are in this execution's history anyway). Left unconsumed,
    /// they would be sent on to the next execution at continue-as-new, repeats included, and pile up there.
    /// </summary>
    public async Task TakeArrivedAsync()
    {
        listener ??= context.WaitForExternalEvent<CaseEvent>(CaseOrchestration.EventName);
        if (listener.IsCompleted)
        {
            await DrainAsync();
        }
    }

    /// <summary>What goes along to the next execution: every event received and not applied (repeats dropped).</summary>
    public IReadOnlyList<CaseEvent> Carry(long applied) => [.. unnumbered, .. waiting.Values.Where(e => e.Seq > applied)];

    /// <summary>Puts back the events of a step that could not be carried out, for the next execution.</summary>
    public void Return(IEnumerable<CaseEvent> events)
    {
        foreach (CaseEvent e in events)
        {
            Add(e);
        }
    }

    /// <summary>The received event and every event the runtime already holds (they are in this execution's history anyway).</summary>
    async Task DrainAsync()
    {
        Task<CaseEvent> next = listener!;
        do
        {
            Add(await next);
        }
        while ((next = context.WaitForExternalEvent<CaseEvent>(CaseOrchestration.EventName)).IsCompleted);

        listener = next;
    }

    List<CaseEvent> Ready(long applied)
    {
        List<CaseEvent> ready = [.. unnumbered];
        unnumbered.Clear();
        foreach (long repeat in waiting.Keys.Where(seq => seq <= applied).ToList())
        {
            waiting.Remove(repeat);
        }

        for (long next = applied + 1; waiting.Remove(next, out CaseEvent? e); next++)
        {
            ready.Add(e);
        }

        return ready;
    }

    void Pulled(long applied, IReadOnlyList<CaseEvent> pulled)
    {
        foreach (CaseEvent e in pulled)
        {
            Add(e);
        }

        if (pulled.Count == 0)
        {
            // Nothing after the applied number is stored: what waits beyond a gap is applied as it is, rather than forever.
            head = applied;
            unnumbered.AddRange(waiting.Values);
            waiting.Clear();
        }
    }

    void Add(CaseEvent e)
    {
        if (e.Seq <= 0)
        {
            // Raised before the inbox existed: applied as it comes.
            unnumbered.Add(e);
        }
        else
        {
            waiting.TryAdd(e.Seq, e);
        }
    }
}

/// <summary>
/// What <see cref="ReadCaseInbox"/> reads: up to <paramref name="Max"/> events of a case after number <paramref name="After"/>;
/// <paramref name="Token"/> is the call's, echoed in the answer (<see cref="CallAnswer"/>).
/// </summary>
public sealed record InboxRead(string CaseId, long After, int Max, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Token = null);

/// <summary><see cref="ReadCaseInbox"/>'s answer: the events, in order, and the token of the call it answers.</summary>
public sealed record InboxPulled(IReadOnlyList<CaseEvent> Events, string? Token = null)
{
    /// <summary>
    /// The answer to the call with <paramref name="token"/>, or null when <paramref name="answer"/> is not it. Before
    /// <see cref="CaseRules.CheckedAnswers"/> the answer was the bare list, and a call had no token.
    /// </summary>
    public static InboxPulled? Of(JsonElement answer, string? token)
    {
        JsonElement events = answer;
        if (answer.ValueKind == JsonValueKind.Object)
        {
            if (!answer.TryGetProperty("events", out events) || !CallAnswer.Echoes(answer, token))
            {
                return null;
            }
        }
        else if (token is not null)
        {
            return null;
        }

        return events.ValueKind == JsonValueKind.Array && CallAnswer.Read<List<CaseEvent>>(events) is { } list && list.TrueForAll(e => e is not null)
            ? new InboxPulled(list, token)
            : null;
    }
}

/// <summary>The orchestration's read of its inbox: the events it is missing, in order. Anonymous, like every event.</summary>
public sealed class ReadCaseInbox(CaseInbox inbox) : TaskActivity<InboxRead, InboxPulled>
{
    public override Task<InboxPulled> RunAsync(TaskActivityContext context, InboxRead input) => ReadAsync(input);

    public async Task<InboxPulled> ReadAsync(InboxRead input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new InboxPulled(await inbox.ReadAsync(input.CaseId, input.After, input.Max), input.Token);
    }
}
