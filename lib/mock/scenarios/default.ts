import type { Scenario, WorkspaceSpec } from "../sim/scenario";
import { busyWith, chatty, lead } from "./building-blocks";
import { layoutTeams } from "./layout";

/**
 * A dozen workspaces in three teams. Four are busy with long tasks and
 * drain within 2 s of a cancel; three chatty ones start and finish short
 * tasks every several seconds (the first no earlier than 4 s after start).
 */
export const defaultFleet: WorkspaceSpec[] = layoutTeams([
  {
    lead: lead("ws-platform-lead", "platform-lead"),
    members: [
      {
        id: "ws-drains-at-1s",
        name: "drains-at-1s",
        role: "backend engineer",
        tier: 3,
        tasks: busyWith("Refactoring the billing module"),
        behaviour: { cancel: { kind: "honour", drainAfterMs: 1000 }, progressEveryMs: 6000 },
      },
      {
        id: "ws-drains-at-2s",
        name: "drains-at-2s",
        role: "database migrations",
        tier: 3,
        tasks: busyWith("Migrating the orders table", "Backfilling the search index"),
        behaviour: { cancel: { kind: "honour", drainAfterMs: 2000 } },
      },
      {
        id: "ws-chatty-reviewer",
        name: "chatty-reviewer",
        role: "code reviewer",
        behaviour: { chatty: chatty(["Reviewing PR #412", "Reviewing PR #415", "Checking lint output"]), cancel: { kind: "honour", drainAfterMs: 500 } },
      },
    ],
  },
  {
    lead: lead("ws-research-lead", "research-lead"),
    members: [
      {
        id: "ws-drains-at-1500ms",
        name: "drains-at-1500ms",
        role: "literature review",
        runtime: "langgraph",
        tasks: busyWith("Summarising 40 papers on retrieval"),
        behaviour: { cancel: { kind: "honour", drainAfterMs: 1500 }, progressEveryMs: 7000 },
      },
      {
        id: "ws-chatty-summarizer",
        name: "chatty-summarizer",
        role: "note taker",
        runtime: "langgraph",
        behaviour: { chatty: chatty(["Summarising the stand-up", "Tagging new notes"]), cancel: { kind: "honour", drainAfterMs: 500 } },
      },
      { id: "ws-idle-analyst", name: "idle-analyst", role: "data analyst", tier: 2 },
    ],
  },
  {
    lead: lead("ws-support-lead", "support-lead"),
    members: [
      {
        id: "ws-drains-at-500ms",
        name: "drains-at-500ms",
        role: "support agent",
        runtime: "external",
        tasks: busyWith("Drafting replies to 12 open tickets"),
        behaviour: { cancel: { kind: "honour", drainAfterMs: 500 } },
      },
      {
        id: "ws-chatty-triage",
        name: "chatty-triage",
        role: "ticket triage",
        behaviour: { chatty: chatty(["Triaging ticket #9031", "Labelling ticket #9032", "Merging duplicate tickets"]), cancel: { kind: "honour", drainAfterMs: 500 } },
      },
      { id: "ws-paused-writer", name: "paused-writer", role: "docs writer", status: "paused", tier: 4 },
    ],
  },
]);

export const defaultScenario: Scenario = {
  name: "default",
  description: "12 workspaces in 3 teams; 4 busy ones drain within 2 s of a cancel; 3 chatty ones keep the canvas moving.",
  workspaces: defaultFleet,
};
