import type { PlainProxyStatus } from "../sim/behaviour";
import type { Scenario } from "../sim/scenario";
import { always, answersStatus, busyWith, lead } from "./building-blocks";
import { layoutTeams, type Team } from "./layout";

const PLAIN_STATUSES: PlainProxyStatus[] = [400, 401, 403, 409, 429, 500, 504, 520, 521, 522, 523, 524];

/** Agents that stop when asked, in every protocol combination. Expected outcome: drained. */
const polite: Team = {
  lead: lead("ws-team-polite", "team-polite"),
  members: [
    {
      id: "ws-drains-at-1s",
      name: "drains-at-1s",
      role: "A2A 1.0 agent",
      tasks: busyWith("Refactoring the billing module"),
    },
    {
      id: "ws-a2a-0-3-drains-at-1s",
      name: "a2a-0-3-drains-at-1s",
      role: "A2A 0.3 agent (task ids only from events)",
      card: "0.3",
      runtime: "langgraph",
      tasks: busyWith("Crawling the partner catalogue"),
      behaviour: { progressEveryMs: 2000 },
    },
    {
      id: "ws-card-1-0-answers-0-3",
      name: "card-1-0-answers-0-3",
      role: "1.0 card, answers 0.3 names (-32601 retry)",
      tasks: busyWith("Indexing the wiki"),
      behaviour: { answersMethodsOf: "0.3", progressEveryMs: 2000 },
    },
  ],
};

/** One workspace per answer of PLATFORM_API.md's proxy table. */
const proxy: Team = {
  lead: lead("ws-team-proxy", "team-proxy"),
  members: [
    {
      id: "ws-poll-mode",
      name: "poll-mode",
      role: "poll-mode agent: requests queued, never delivered in time",
      runtime: "external",
      tasks: busyWith("Syncing the CRM export"),
      behaviour: { faults: always({ kind: "poll-queued" }) },
    },
    {
      id: "ws-answers-202-queued",
      name: "answers-202-queued",
      role: "queues requests behind its work",
      tasks: busyWith("Generating the quarterly report"),
      behaviour: { faults: always({ kind: "queued" }) },
    },
    {
      id: "ws-answers-503-busy",
      name: "answers-503-busy",
      role: "busy, Retry-After: 1",
      tasks: busyWith("Training the ranking model"),
      behaviour: { faults: always({ kind: "busy", retryAfterSeconds: 1 }) },
    },
    {
      id: "ws-answers-503-busy-no-retry-after",
      name: "answers-503-busy-no-retry-after",
      role: "busy, no Retry-After",
      tasks: busyWith("Resizing 10,000 images"),
      behaviour: { faults: always({ kind: "busy", retryAfterSeconds: null }) },
    },
    {
      id: "ws-answers-503-restarting",
      name: "answers-503-restarting",
      role: "dead agent: the platform restarts it itself (12 s)",
      tasks: busyWith("Transcribing the all-hands"),
      behaviour: { faults: always({ kind: "restarting" }), restart: { kind: "ok", restartMs: 12_000 } },
    },
    {
      id: "ws-answers-503-platform-unavailable",
      name: "answers-503-platform-unavailable",
      role: "datastore down for its requests",
      tasks: busyWith("Reconciling invoices"),
      behaviour: { faults: always({ kind: "platform-unavailable" }) },
    },
    {
      id: "ws-answers-502",
      name: "answers-502",
      role: "agent unreachable",
      tasks: busyWith("Scraping competitor prices"),
      behaviour: { faults: always({ kind: "unreachable" }) },
    },
    {
      id: "ws-answers-404",
      name: "answers-404",
      role: "deleted as the first request arrives",
      tasks: busyWith("Archiving old tickets"),
      behaviour: { faults: always({ kind: "not-found" }) },
    },
    {
      id: "ws-hibernated-stale-tasks",
      name: "hibernated-stale-tasks",
      role: "hibernated, stale active_tasks: never a target (a request would wake it)",
      status: "hibernated",
      tasks: busyWith("Stale task from before hibernation", "Another stale task"),
    },
  ],
};

/** Plain error statuses, Cloudflare's 52x included. Expected outcome: restarted. */
const statusCodes: Team = {
  lead: lead("ws-team-status-codes", "team-status-codes"),
  members: PLAIN_STATUSES.map(answersStatus),
};

/** Removal, a stuck agent, a failing restart. */
const lifecycle: Team = {
  lead: lead("ws-team-lifecycle", "team-lifecycle"),
  members: [
    {
      id: "ws-removed-mid-stop",
      name: "removed-mid-stop",
      role: "deleted 1.5 s after its cancel",
      tasks: busyWith("Load-testing the staging API"),
      behaviour: { cancel: { kind: "ignore" }, removeAfterCancelMs: 1500 },
    },
    {
      id: "ws-ignores-cancel",
      name: "ignores-cancel",
      role: "says canceled, keeps working; restart works",
      tasks: busyWith("Running the nightly build"),
      behaviour: { cancel: { kind: "ignore" }, restart: { kind: "ok", restartMs: 3000 } },
    },
    {
      id: "ws-restart-fails-500",
      name: "restart-fails-500",
      role: "says canceled, keeps working; restart answers 500",
      tasks: busyWith("Compacting the event store"),
      behaviour: { cancel: { kind: "ignore" }, restart: { kind: "fail", status: 500 } },
    },
    { id: "ws-idle", name: "idle", role: "idle: never a target" },
  ],
};

/**
 * Every way a Stop All can end, in one fleet: drained, restarted,
 * platform-restarting, gone and restart-failed.
 */
export const mixedScenario: Scenario = {
  name: "mixed",
  description: "One workspace per proxy answer, 0.3 and 1.0 agents, a hibernated one, a removal, a stuck agent and a failing restart.",
  workspaces: layoutTeams([polite, proxy, statusCodes, lifecycle], 3),
};
