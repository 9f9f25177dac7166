import type { Scenario, WorkspaceSpec } from "../sim/scenario";
import { busyWith, lead } from "./building-blocks";
import { layoutTeams } from "./layout";

const drainsAfter = (drainAfterMs: number) => ({ cancel: { kind: "honour" as const, drainAfterMs } });

const teams = layoutTeams([
  {
    // Pausing this lead cascades onto all three members, the idle one too (paused_count 4).
    lead: { ...lead("ws-lead-drains", "lead-drains"), tasks: busyWith("Delegating the release checklist"), behaviour: drainsAfter(1000) },
    members: [
      { id: "ws-member-drains", name: "member-drains", role: "team member", tasks: busyWith("Compiling the release"), behaviour: drainsAfter(1500) },
      {
        id: "ws-member-ignores-cancel",
        name: "member-ignores-cancel",
        role: "team member: says canceled, keeps working",
        tasks: busyWith("Running the soak test"),
        behaviour: { cancel: { kind: "ignore" } },
      },
      { id: "ws-member-idle", name: "member-idle", role: "team member, idle: never a target" },
    ],
  },
  {
    // An idle parent: nothing holds it, so its member's resume is never refused for it.
    lead: lead("ws-lead-idle", "lead-idle"),
    members: [
      { id: "ws-member-under-idle-lead", name: "member-under-idle-lead", role: "team member", tasks: busyWith("Translating the guide"), behaviour: drainsAfter(1000) },
    ],
  },
]);

// Below both teams (the first has one row of three members), outside any team.
const SOLO_Y = 480;

const solo: WorkspaceSpec[] = [
  {
    id: "ws-pause-fails-once",
    name: "pause-fails-once",
    role: "drains; its first pause answers 500, a retry 200",
    tasks: busyWith("Rebuilding the search index"),
    behaviour: { ...drainsAfter(500), pauseFaults: [{ answer: { kind: "fail", status: 500 }, firstAttempts: 1 }] },
    parentId: null,
    x: 0,
    y: SOLO_Y,
  },
  {
    id: "ws-drains-at-1s",
    name: "drains-at-1s",
    role: "backend engineer",
    tasks: busyWith("Refactoring the billing module"),
    behaviour: drainsAfter(1000),
    parentId: null,
    x: 250,
    y: SOLO_Y,
  },
];

/**
 * For stop-and-hold (cancel, drain, then pause): a team whose busy lead
 * drains 1 s after its cancel, with a member that drains after 1.5 s, one
 * that ignores the cancel (still busy at the 8 s deadline) and an idle one
 * a pause of the lead takes with it; a workspace whose first pause answers
 * 500 and a retry 200; a plain one that drains; and a second team with an
 * idle lead and a busy member, for resume order under a parent nobody held.
 */
export const holdFaultsScenario: Scenario = {
  name: "hold-faults",
  description:
    "Stop-and-hold: a busy lead (drains 1 s) with members that drain (1.5 s), ignore the cancel, or idle; a pause that fails once (500) then works; a plain drain; an idle lead with a busy member.",
  workspaces: [...teams, ...solo],
};
