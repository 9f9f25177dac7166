import type { Scenario } from "../sim/scenario";
import { busyWith, lead } from "./building-blocks";
import { layoutTeams } from "./layout";

/** A busy lead: its agent answers 300 ms late, so its members' listings come back first. */
const busyLead = (id: string, name: string) => ({
  ...lead(id, name),
  tasks: busyWith(`Delegating the ${name.replace("-lead", "")} backlog`),
  behaviour: { answerDelayMs: 300, cancel: { kind: "honour" as const, drainAfterMs: 500 } },
});

const member = (id: string, task: string, drainAfterMs = 700) => ({ id: `ws-${id}`, name: id, role: "team member", tasks: busyWith(task), behaviour: { cancel: { kind: "honour" as const, drainAfterMs } } });

const placed = layoutTeams([
  {
    lead: busyLead("ws-build-lead", "build-lead"),
    members: [member("compiler", "Compiling the release"), member("tester", "Running the integration suite"), { ...lead("ws-infra-sublead", "infra-sublead", "sub-team lead") }],
  },
  { lead: busyLead("ws-docs-lead", "docs-lead"), members: [member("writer", "Writing the changelog"), member("translator", "Translating the guide")] },
  { lead: lead("ws-idle-lead", "idle-lead"), members: [member("analyst", "Crunching the quarter's numbers"), member("planner", "Planning the sprint")] },
]);

/**
 * Teams whose leads are busy too: a lead that is being stopped must get its
 * cancel before its members do, or it re-delegates what they drop (Stop
 * All's parents first). Each busy lead answers 300 ms late; the infra
 * sub-lead is idle, and its one member (below it, so below build-lead too)
 * is busy. Also the fleet for Stop team.
 */
export const teamsScenario: Scenario = {
  name: "teams-hold",
  description: "Three teams, two with busy leads that answer 300 ms late; an idle sub-lead with a busy member; everything drains after its cancel.",
  workspaces: [
    ...placed,
    // Below the infra sub-lead: placed under it by hand (layoutTeams draws one level).
    { ...member("provisioner", "Provisioning staging"), parentId: "ws-infra-sublead", x: placed.find((ws) => ws.id === "ws-infra-sublead")!.x, y: 480 },
  ],
};
