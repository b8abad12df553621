using System.Text.Json;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Helsingborg.Lifecycle;
using Helsingborg.Tests.Infrastructure;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Helsingborg.Tests.Replay;

/// <summary>
/// Cases run on the local engine (DurableTask.Core's dispatcher over Azure Storage on Azurite), each execution's
/// history replayed through the Functions worker's gRPC runner: Azure's orchestrator path gives the same actions as
/// the local engine, episode by episode (issue 20, item 5). With <c>REPLAY_CORPUS_RECORD=1</c> the histories also
/// replace their scenario's files in the replay corpus (item 4). The policy's clocks are shrunk and a case continues
/// as new every 3 steps, so that each scenario crosses several executions.
/// </summary>
[StartEarly]
public sealed class ReplayRecorderTests
{
    /// <summary>Made-up values the orchestration must never carry (it takes ids, dates and counts only).</summary>
    const string FakeAlias = "Replay Testperson";
    const string FakeDescription = "Replay corpus intake, a made-up report.";
    const string FakeNote = "Replay corpus note, made up.";

    static readonly bool Record = Environment.GetEnvironmentVariable("REPLAY_CORPUS_RECORD") == "1";

    static object Intake(bool policeNotified = true) =>
        Intakes.Valid(policeNotified, description: FakeDescription, person: new { alias = FakeAlias, estimatedAge = 30, contact = "+46 70 000 00 00" });

    static string Day(int days) => DateTimeOffset.UtcNow.AddDays(days).ToString("yyyy-MM-dd");

    [Fact]
    public async Task Timers_firing_across_continue_as_new_to_completion_give_the_same_actions_through_the_grpc_runner()
    {
        await using var run = await Run.StartAsync(CorpusScenario.Timers, new()
        {
            ["CasePolicy:FirstContactReminderInterval"] = "00:00:01",
            ["CasePolicy:FirstContactEscalateAfterReminders"] = "3",
            ["CasePolicy:FirstContactGiveUpAfter"] = "00:00:04.500",
            ["CasePolicy:EvaluationDueAfter"] = "00:00:01",
            ["CasePolicy:EvaluationGiveUpAfter"] = "00:00:02.500",
        });
        string caseId = await run.Host.SubmitIntakeAsync(Intake(policeNotified: false));

        await run.FinishAsync(caseId);
    }

    [Fact]
    public async Task Every_coordinator_event_of_the_return_path_gives_the_same_actions_through_the_grpc_runner()
    {
        await using var run = await Run.StartAsync(CorpusScenario.ReturnPath);
        TestHost host = run.Host;
        string caseId = await host.SubmitIntakeAsync(Intake());
        await host.RecordAsync(caseId, new { type = "contact-attempted", channel = "phone" });
        await host.RecordAsync(caseId, new { type = "contact-made", wantsSupport = "yes", wantsAuthorityContact = "yes", interpreterNeeded = true });
        await host.WaitForPhaseAsync(caseId, "short-term-support");
        await host.RecordAsync(caseId, new { type = "lead-changed", lead = "salvation-army" });
        await run.WaitForCommittedAsync(caseId, "lead", "salvation-army");
        await host.RecordAsync(caseId, new { type = "support-conversation", note = FakeNote }, TestHost.SalvationArmyKey);
        await host.RecordAsync(caseId, new { type = "lead-changed", lead = "social-services" }, TestHost.SalvationArmyKey);
        await run.WaitForCommittedAsync(caseId, "lead", "social-services");
        await host.RecordAsync(caseId, new { type = "worker-assigned", note = FakeNote }, TestHost.AnnaKey);
        await host.RecordAsync(caseId, new { type = "worker-assigned", worker = TestHost.ErikKey, note = FakeNote }, TestHost.AnnaKey);
        await host.RecordAsync(caseId, new { type = "worker-released", note = FakeNote }, TestHost.ErikKey);
        await host.RecordAsync(caseId, new { type = "support-given", kind = "accommodation" });
        await host.RecordAsync(caseId, new { type = "plan-agreed" });
        await host.RecordAsync(caseId, new { type = "reflection-period-granted" });
        await host.RecordAsync(caseId, new { type = "residence-permit-granted", until = Day(180) });
        await host.RecordAsync(caseId, new { type = "long-term-started" });
        await host.WaitForPhaseAsync(caseId, "long-term-support");
        await host.RecordAsync(caseId, new { type = "return-requested" });
        await host.WaitForPhaseAsync(caseId, "return-assistance");
        await host.RecordAsync(caseId, new { type = "return-withdrawn" });
        await host.WaitForPhaseAsync(caseId, "long-term-support");
        await host.RecordAsync(caseId, new { type = "return-requested" });
        await host.WaitForPhaseAsync(caseId, "return-assistance");
        await host.RecordAsync(caseId, new { type = "iom-application-submitted" });
        await host.RecordAsync(caseId, new { type = "iom-decision", approved = false });
        await host.WaitForPhaseAsync(caseId, "long-term-support");
        await host.RecordAsync(caseId, new { type = "return-requested" });
        await host.WaitForPhaseAsync(caseId, "return-assistance");
        await host.RecordAsync(caseId, new { type = "iom-application-submitted" });
        await host.RecordAsync(caseId, new { type = "iom-decision", approved = true });
        await host.RecordAsync(caseId, new { type = "departure-scheduled", date = Day(10) });
        await host.RecordAsync(caseId, new { type = "departed" });
        await host.RecordAsync(caseId, new { type = "reintegration-followed-up", outcome = "good" });
        await host.WaitForPhaseAsync(caseId, "closed");
        await host.RecordAsync(caseId, new { type = "evaluation-recorded", outcome = "helped" });

        await run.FinishAsync(caseId);
    }

    [Fact]
    public async Task A_referral_with_consent_and_its_answers_gives_the_same_actions_through_the_grpc_runner()
    {
        await using var run = await Run.StartAsync(CorpusScenario.Referral);
        TestHost host = run.Host;
        ReferralSetup.Referred referred = await ReferralSetup.ReferAsync(host);
        await ReferralSetup.AnswerAsync(host, referred, referred.ReferralId, "accept");
        await ReferralSetup.AnswerAsync(host, referred, referred.ReferralId, "complete");
        string second = await ReferralSetup.ReferAgainAsync(host, referred.CaseId);
        await ReferralSetup.AnswerAsync(host, referred, second, "decline", "no-capacity");
        await host.RecordAsync(referred.CaseId, new { type = "sharing-consent-withdrawn", organisation = ReferralSetup.Receiver });
        await host.RecordAsync(referred.CaseId, new { type = "case-closed", reason = "stable" });
        await host.WaitForPhaseAsync(referred.CaseId, "closed");
        await host.RecordAsync(referred.CaseId, new { type = "evaluation-recorded", outcome = "partly-helped" });

        await run.FinishAsync(referred.CaseId, referred.Alias, referred.Need);
    }

    [Fact]
    public async Task A_minors_statutory_clocks_and_the_police_step_give_the_same_actions_through_the_grpc_runner()
    {
        await using var run = await Run.StartAsync(CorpusScenario.ChildClocks, new() { ["CasePolicy:ProtectionAssessmentDueAfter"] = "00:00:01" });
        TestHost host = run.Host;
        string caseId = await host.SubmitIntakeAsync(Intakes.Valid(policeNotified: false, minor: true, description: FakeDescription, person: new { alias = FakeAlias, estimatedAge = 15, isMinor = true }));
        await host.WaitForCaseAsync(
            caseId,
            c => c.GetProperty("openReminders").EnumerateArray().Any(r => r.GetProperty("kind").GetString() == "protection-assessment" && r.GetProperty("escalated").GetBoolean()),
            "the protection assessment escalated");
        using (HttpResponseMessage informed = await host.Client.SendAsync(host.Request(HttpMethod.Post, $"api/intake/{caseId}/police-informed", TestHost.PartnerKey, new { policeReference = FakeNote })))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, informed.StatusCode);
        }

        foreach (string type in new[] { "protection-assessed", "no-investigation", "investigation-opened", "investigation-closed" })
        {
            await host.RecordAsync(caseId, new { type, date = DateTimeOffset.UtcNow.ToString("O") });
        }

        await host.RecordAsync(caseId, new { type = "case-closed", reason = "other" });
        await host.WaitForPhaseAsync(caseId, "closed");
        await host.RecordAsync(caseId, new { type = "evaluation-recorded", outcome = "unknown" });

        await run.FinishAsync(caseId);
    }

    [Fact]
    public async Task A_transfer_declined_then_escalated_and_accepted_gives_the_same_actions_through_the_grpc_runner()
    {
        await using var run = await Run.StartAsync(CorpusScenario.Transfer, new() { ["CasePolicy:TransferDueAfter"] = "00:00:01" });
        TestHost host = run.Host;
        string caseId = await host.SubmitIntakeAsync(Intakes.Valid(description: FakeDescription, person: new { alias = FakeAlias, estimatedAge = 30 }, municipality: "landskrona"));
        await host.RecordAsync(caseId, new { type = "contact-made", wantsSupport = "yes", wantsAuthorityContact = "yes" });
        await host.RecordAsync(caseId, new { type = "transfer-requested", municipality = "landskrona", note = FakeNote });
        await host.WaitForCaseAsync(caseId, c => c.GetProperty("transfer").ValueKind == JsonValueKind.Object, "the transfer pending");
        await host.RecordAsync(caseId, new { type = "transfer-declined", reason = "no-capacity", note = FakeNote }, TestHost.LandskronaKey);
        await host.WaitForCaseAsync(caseId, c => c.GetProperty("transfer").GetProperty("status").GetString() == "declined", "the transfer declined");
        await host.RecordAsync(caseId, new { type = "transfer-requested", municipality = "landskrona", note = FakeNote });
        await host.WaitForCaseAsync(caseId, c => c.GetProperty("transfer").GetProperty("status").GetString() == "pending" && c.GetProperty("transfer").GetProperty("escalated").GetBoolean(), "the second transfer escalated");
        await host.RecordAsync(caseId, new { type = "transfer-accepted" }, TestHost.LandskronaKey);
        await host.WaitForCaseAsync(caseId, c => c.GetProperty("lead").GetString() == "landskrona-social-services", "the receiver leading", key: TestHost.LandskronaKey);
        await host.RecordAsync(caseId, new { type = "case-closed", reason = "stable" }, TestHost.LandskronaKey);
        await host.WaitForPhaseAsync(caseId, "closed", key: TestHost.LandskronaKey);
        await host.RecordAsync(caseId, new { type = "evaluation-recorded", outcome = "helped" }, TestHost.LandskronaKey);

        await run.FinishAsync(caseId);
    }

    [Fact]
    public async Task Erasure_after_consent_withdrawn_gives_the_same_actions_through_the_grpc_runner()
    {
        await using var run = await Run.StartAsync(CorpusScenario.Erasure);
        TestHost host = run.Host;
        // Led by the Salvation Army on the person's consent, so that withdrawal erases.
        const string key = TestHost.SalvationArmyKey;
        string caseId = await host.CaseInShortTermSupportAsync(Intake(), wantsAuthorityContact: "no", readKey: key);
        await host.RecordAsync(caseId, new { type = "support-conversation", note = FakeNote }, key);
        await host.RecordAsync(caseId, new { type = "consent-withdrawn" }, key);
        await host.WaitForCaseAsync(caseId, c => c.GetProperty("erased").GetBoolean(), "the erasure", key: key);
        await host.RecordAsync(caseId, new { type = "evaluation-recorded", outcome = "unknown" }, key);

        await run.FinishAsync(caseId);
    }

    [Fact]
    public async Task An_event_the_orchestration_refuses_gives_the_same_actions_through_the_grpc_runner()
    {
        await using var run = await Run.StartAsync(CorpusScenario.Refusal);
        TestHost host = run.Host;
        string caseId = await host.SubmitIntakeAsync(Intake());
        await host.RecordAsync(caseId, new { type = "contact-made", wantsSupport = "no" });
        await host.WaitForPhaseAsync(caseId, "closed");

        // The endpoint refuses it with 409 (lifecycle.md); raised past it, as one of two racing requests is, the orchestration refuses it.
        await run.RaiseAsync(caseId, new ContactAttempted { EventId = "e_replay_refused", At = DateTimeOffset.UtcNow, By = "social-services" });
        await Poll.UntilAsync(
            async () => (await host.GetJsonAsync($"api/cases/{caseId}/timeline")).GetProperty("items").EnumerateArray().Any(i => i.GetProperty("refused").GetBoolean()),
            TimeSpan.FromSeconds(60),
            "the refusal in the timeline");
        await run.WaitForCommittedAsync(caseId, "phase", "closed");
        await host.RecordAsync(caseId, new { type = "evaluation-recorded", outcome = "not-helped" });

        await run.FinishAsync(caseId);
    }

    [Fact]
    public async Task Continue_as_new_with_carried_events_gives_the_same_actions_through_the_grpc_runner()
    {
        const int burst = 30;
        await using var run = await Run.StartAsync(CorpusScenario.CarriedEvents);
        TestHost host = run.Host;
        string caseId = await host.SubmitIntakeAsync(Intake());
        await host.RecordAsync(caseId, new { type = "contact-made", wantsSupport = "yes" });
        await host.WaitForPhaseAsync(caseId, "short-term-support");

        // Raised faster than the case takes them in: they reach it in batches, across continue-as-new.
        for (int i = 0; i < burst; i++)
        {
            await run.RaiseAsync(caseId, new SupportConversation { EventId = $"e_replay_burst_{i:00}", At = DateTimeOffset.UtcNow, By = "social-services" });
        }

        await host.WaitForCaseAsync(caseId, c => c.GetProperty("counts").GetProperty("supportConversations").GetInt32() == burst, "every event of the burst");
        await host.RecordAsync(caseId, new { type = "case-closed", reason = "moved" });
        await run.WaitForCommittedAsync(caseId, "phase", "closed");
        await host.RecordAsync(caseId, new { type = "evaluation-recorded", outcome = "unknown" });

        await run.FinishAsync(caseId);
    }

    [Fact]
    public async Task A_timer_and_an_event_racing_give_the_same_actions_through_the_grpc_runner()
    {
        await using var run = await Run.StartAsync(CorpusScenario.TimerEventRace, new() { ["CasePolicy:ShortTermFollowUpInterval"] = "00:00:01" });
        TestHost host = run.Host;
        string caseId = await host.SubmitIntakeAsync(Intake());
        await host.RecordAsync(caseId, new { type = "contact-made", wantsSupport = "yes" });
        await host.WaitForPhaseAsync(caseId, "short-term-support");

        // Each event raised about when the case's follow-up timer falls due, a little before or after: the two reach
        // the case in one batch, or one just after the other.
        var durable = host.Services.GetRequiredService<DurableTaskClient>();
        int[] offsets = [-150, -50, 0, 50, 150];
        for (int i = 0; i < 15; i++)
        {
            // The custom status is the orchestration's, which may still show the first-contact deadline (days away)
            // after the projection moved on: the follow-up's, a second away, is waited for.
            DateTimeOffset due = default;
            await Poll.UntilAsync(async () =>
            {
                OrchestrationMetadata? instance = await durable.GetInstanceAsync(caseId);
                using JsonDocument status = JsonDocument.Parse(instance?.SerializedCustomStatus ?? "{}");
                if (!status.RootElement.TryGetProperty("nextDueAt", out JsonElement next) || next.ValueKind != JsonValueKind.String)
                {
                    return false;
                }

                due = next.GetDateTimeOffset();
                return due - DateTimeOffset.UtcNow < TimeSpan.FromSeconds(30);
            }, TimeSpan.FromSeconds(60), "the case's follow-up deadline in its custom status");
            TimeSpan wait = due.AddMilliseconds(offsets[i % offsets.Length]) - DateTimeOffset.UtcNow;
            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
            await run.RaiseAsync(caseId, new SupportConversation { EventId = $"e_replay_race_{i:00}", At = DateTimeOffset.UtcNow, By = "social-services" });
        }

        await host.RecordAsync(caseId, new { type = "case-closed", reason = "other" });
        await run.WaitForCommittedAsync(caseId, "phase", "closed");
        await host.RecordAsync(caseId, new { type = "evaluation-recorded", outcome = "helped" });

        await run.FinishAsync(caseId);
    }

    [Fact]
    public async Task Reports_of_one_person_linked_unlinked_and_merged_give_the_same_actions_through_the_grpc_runner()
    {
        await using var run = await Run.StartAsync(CorpusScenario.SamePerson);
        TestHost host = run.Host;
        string other = await host.SubmitIntakeAsync(Intake());
        string otherReference = (await host.WaitForCaseAsync(other, c => c.GetProperty("reference").ValueKind == JsonValueKind.String, "the other case's reference")).GetProperty("reference").GetString()!;
        string caseId = await host.SubmitIntakeAsync(Intake(policeNotified: false));
        await host.RecordAsync(caseId, new { type = "contact-made", wantsSupport = "yes", wantsAuthorityContact = "yes" });
        await host.WaitForPhaseAsync(caseId, "short-term-support");
        await host.RecordAsync(caseId, new { type = "same-person-as", reference = otherReference, note = FakeNote });
        await host.WaitForCaseAsync(caseId, c => c.GetProperty("samePerson").GetArrayLength() == 1, "the link");
        await host.RecordAsync(caseId, new { type = "same-person-unlinked", reference = other });
        await host.WaitForCaseAsync(caseId, c => c.GetProperty("samePerson").GetArrayLength() == 0, "the link removed");
        await host.RecordAsync(caseId, new { type = "same-person-as", reference = other });
        await host.WaitForCaseAsync(caseId, c => c.GetProperty("samePerson").GetArrayLength() == 1, "the link again");
        await host.RecordAsync(caseId, new { type = "merged-into", reference = otherReference });

        await run.FinishAsync(caseId);
    }

    /// <summary>One scenario on its own local host, its histories captured.</summary>
    sealed class Run : IAsyncDisposable
    {
        readonly HistoryCapture capture;
        readonly CorpusScenario scenario;

        Run(TestHost host, HistoryCapture capture, CorpusScenario scenario)
        {
            Host = host;
            this.capture = capture;
            this.scenario = scenario;
        }

        public TestHost Host { get; }

        public static async Task<Run> StartAsync(CorpusScenario scenario, Dictionary<string, string?>? settings = null)
        {
            settings ??= [];
            settings["CasePolicy:StepsPerExecution"] = "3";
            var capture = new HistoryCapture();
            TestHost host = await TestHost.StartAsync(settings, services: capture.AddTo);

            // Activity inputs kept in the history, as Durable Functions' storeInputsInOrchestrationHistory does: the
            // replay compares them too. Set once the dispatcher exists, before any case starts, as the extension sets it.
            host.Services.GetRequiredService<TaskHubWorker>().TaskOrchestrationDispatcher.IncludeParameters = true;
            return new Run(host, capture, scenario);
        }

        /// <summary>Raises an event past the events endpoint, as the engine receives it from there.</summary>
        public Task RaiseAsync(string caseId, CaseEvent e) =>
            Host.Services.GetRequiredService<DurableTaskClient>().RaiseEventAsync(caseId, CaseOrchestration.EventName, CaseOrchestration.EventPayload(e));

        /// <summary>
        /// Waits until the orchestration's custom status, which the events endpoint checks against, says
        /// <paramref name="field"/> is <paramref name="value"/>: the endpoint does not wait for events raised past it.
        /// </summary>
        public Task WaitForCommittedAsync(string caseId, string field, string value) => Poll.UntilAsync(
            async () => await Host.Services.GetRequiredService<DurableTaskClient>().GetInstanceAsync(caseId) is { SerializedCustomStatus: { } status }
                && JsonDocument.Parse(status).RootElement.GetProperty(field).GetString() == value,
            TimeSpan.FromSeconds(60),
            $"the orchestration to commit {field} {value}");

        /// <summary>
        /// Waits for the case's orchestration to complete, replays each of its executions through the gRPC runner,
        /// and with <c>REPLAY_CORPUS_RECORD=1</c> writes them to the corpus.
        /// </summary>
        public async Task FinishAsync(string caseId, params string[] personalData)
        {
            var durable = Host.Services.GetRequiredService<DurableTaskClient>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            OrchestrationMetadata done = await durable.WaitForInstanceCompletionAsync(caseId, timeout.Token);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);

            List<CorpusFile> executions = [.. capture.Executions(caseId).Select((e, i) => new CorpusFile(scenario.Name, i, caseId, e.ExecutionId, [.. e.Events.Select(HistoryProto.From)]))];
            Assert.NotEmpty(executions);

            // The last execution is whole in storage too: the capture holds what the provider stored.
            string stored = await Host.Services.GetRequiredService<AzureStorageOrchestrationService>().GetOrchestrationHistoryAsync(caseId, executions[^1].ExecutionId);
            Assert.Equal(executions[^1].Events.Count, JsonDocument.Parse(stored).RootElement.GetArrayLength());

            string[] never = [FakeAlias, FakeDescription, FakeNote, TestHost.AnnaName, TestHost.ErikName, .. personalData];
            foreach (CorpusFile execution in executions)
            {
                string json = execution.ToJson();
                Assert.All(never, value => Assert.DoesNotContain(value, json, StringComparison.Ordinal));
            }

            for (int i = 0; i < executions.Count; i++)
            {
                GrpcReplay.AssertReplays(executions[i], i + 1 < executions.Count ? executions[i + 1] : null);
            }

            if (Record)
            {
                Assert.True(scenario.IsShownBy(executions), $"The recording of {scenario.Name} shows no {scenario.Shows}: record it again.");
                CorpusFile.WriteScenario(scenario.Name, executions);
            }
        }

        public ValueTask DisposeAsync() => Host.DisposeAsync();
    }
}
