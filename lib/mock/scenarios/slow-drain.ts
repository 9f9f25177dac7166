import type { Scenario } from "../sim/scenario";
import { busyWith, lead } from "./building-blocks";
import { layoutTeams } from "./layout";

/** Drains 7.5 s after its cancel: just inside an 8 s deadline, so no restart may be sent. */
export const slowDrainScenario: Scenario = {
  name: "slow-drain",
  description: "drains-at-7500ms stops 7.5 s after its cancel, just before the 8 s deadline; drains-at-1s is quick.",
  workspaces: layoutTeams([
    {
      lead: lead("ws-slow-lead", "slow-lead"),
      members: [
        {
          id: "ws-drains-at-7500ms",
          name: "drains-at-7500ms",
          role: "video encoder",
          tasks: busyWith("Encoding the launch video"),
          behaviour: { cancel: { kind: "honour", drainAfterMs: 7500 } },
        },
        {
          id: "ws-drains-at-1s",
          name: "drains-at-1s",
          role: "backend engineer",
          tasks: busyWith("Refactoring the billing module"),
          behaviour: { cancel: { kind: "honour", drainAfterMs: 1000 } },
        },
        { id: "ws-idle", name: "idle", role: "spare" },
      ],
    },
  ]),
};
