import type { Scenario } from "../sim/scenario";
import { busyWith, lead } from "./building-blocks";
import { layoutTeams } from "./layout";

/** One agent answers `canceled` but keeps working; Stop All must restart it at the deadline. */
export const stuckScenario: Scenario = {
  name: "stuck",
  description: "ignores-cancel says canceled but never drains (restart succeeds); two others drain at 1 s and 2 s.",
  workspaces: layoutTeams([
    {
      lead: lead("ws-stuck-lead", "stuck-lead"),
      members: [
        {
          id: "ws-ignores-cancel",
          name: "ignores-cancel",
          role: "build runner",
          tasks: busyWith("Running the nightly build"),
          behaviour: { cancel: { kind: "ignore" }, restart: { kind: "ok", restartMs: 3000 } },
        },
        {
          id: "ws-drains-at-1s",
          name: "drains-at-1s",
          role: "backend engineer",
          tasks: busyWith("Refactoring the billing module"),
          behaviour: { cancel: { kind: "honour", drainAfterMs: 1000 } },
        },
        {
          id: "ws-drains-at-2s",
          name: "drains-at-2s",
          role: "database migrations",
          tasks: busyWith("Migrating the orders table"),
          behaviour: { cancel: { kind: "honour", drainAfterMs: 2000 } },
        },
        { id: "ws-idle", name: "idle", role: "spare" },
      ],
    },
  ]),
};
