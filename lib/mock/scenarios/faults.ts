import type { Scenario } from "../sim/scenario";
import { always, busyWith, lead } from "./building-blocks";
import { layoutTeams } from "./layout";

/** Transport faults and awkward agents that `mixed` does not cover. */
export const faultsScenario: Scenario = {
  name: "faults",
  description: "Hanging and broken answers, a busy-then-fine agent, refusals, -32009, and restarts that hang or fail with 404/409/503.",
  workspaces: layoutTeams([
    {
      lead: lead("ws-team-faults", "team-faults"),
      members: [
        {
          id: "ws-cancel-hangs",
          name: "cancel-hangs",
          role: "CancelTask never answers",
          tasks: busyWith("Rendering the product tour"),
          behaviour: { faults: [{ answer: { kind: "hang" }, methods: ["CancelTask"] }] },
        },
        {
          id: "ws-list-hangs",
          name: "list-hangs",
          role: "ListTasks never answers",
          tasks: busyWith("Exporting audit logs"),
          behaviour: { faults: [{ answer: { kind: "hang" }, methods: ["ListTasks"] }] },
        },
        {
          id: "ws-truncated-body",
          name: "truncated-body",
          role: "JSON cut in half",
          tasks: busyWith("Deduplicating contacts"),
          behaviour: { faults: always({ kind: "truncated-body" }) },
        },
        {
          id: "ws-not-json-body",
          name: "not-json-body",
          role: "answers an HTML page",
          tasks: busyWith("Optimising images"),
          behaviour: { faults: always({ kind: "not-json" }) },
        },
        {
          id: "ws-mismatched-rpc-id",
          name: "mismatched-rpc-id",
          role: "answers with another JSON-RPC id",
          tasks: busyWith("Rebuilding the sitemap"),
          behaviour: { faults: always({ kind: "mismatched-id" }) },
        },
        {
          id: "ws-busy-twice-then-drains",
          name: "busy-twice-then-drains",
          role: "503 busy (Retry-After: 1) for the first 2 cancels, then drains in 1 s",
          tasks: busyWith("Computing embeddings"),
          behaviour: { faults: [{ answer: { kind: "busy", retryAfterSeconds: 1 }, methods: ["CancelTask"], firstAttempts: 2 }] },
        },
        {
          id: "ws-refuses-cancel",
          name: "refuses-cancel",
          role: "answers -32004 unsupported operation",
          tasks: busyWith("Running a database vacuum"),
          behaviour: { cancel: { kind: "refuse", code: -32004, message: "Cancel is not supported by this agent" } },
        },
        {
          id: "ws-cancel-answers-after-3s",
          name: "cancel-answers-after-3s",
          role: "cancel blocks 3 s, then drains",
          tasks: busyWith("Uploading backups"),
          behaviour: { answerDelayMs: 3000, cancel: { kind: "honour", drainAfterMs: 500 } },
        },
        {
          id: "ws-answers-32009",
          name: "answers-32009",
          role: "1.0 card, answers 0.3 names, -32009 for 1.0 names",
          tasks: busyWith("Translating the help centre"),
          behaviour: { answersMethodsOf: "0.3", wrongVersionCode: -32009, progressEveryMs: 2000 },
        },
        {
          id: "ws-task-history",
          name: "task-history",
          role: "working + input-required tasks beside finished ones",
          tasks: [
            { description: "Writing the migration guide" },
            { description: "Waiting for approval of the budget", state: "input-required" },
            { description: "Yesterday's report", state: "completed" },
            { description: "A crashed import", state: "failed" },
          ],
        },
      ],
    },
    {
      lead: lead("ws-team-restarts", "team-restarts"),
      members: [
        {
          id: "ws-restart-hangs",
          name: "restart-hangs",
          role: "ignores cancel; restart happens but its answer is lost",
          tasks: busyWith("Mining logs"),
          behaviour: { cancel: { kind: "ignore" }, restart: { kind: "hang", restartMs: 3000 } },
        },
        ...([404, 409, 503] as const).map((status) => ({
          id: `ws-restart-fails-${status}`,
          name: `restart-fails-${status}`,
          role: `ignores cancel; restart answers ${status}`,
          tasks: busyWith(`Long job before a ${status}`),
          behaviour: { cancel: { kind: "ignore" as const }, restart: { kind: "fail" as const, status } },
        })),
      ],
    },
  ]),
};
