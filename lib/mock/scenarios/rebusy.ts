import type { Scenario } from "../sim/scenario";
import { busyWith, lead } from "./building-blocks";
import { layoutTeams } from "./layout";

/**
 * Drained workspaces that get busy again at once, as on the platform the
 * canvas serves: one has a message queued while it was busy, delivered on
 * its first heartbeat (every 2 s here) after the drain; one has an idle loop
 * that prompts it 5 s after it went idle; one stays quiet. Stop All drains
 * all three, then the quiet watch flags the two that came back.
 */
export const rebusyScenario: Scenario = {
  name: "rebusy",
  description: "Three busy workspaces drain after a cancel; one gets a queued message on its next heartbeat (2 s), one an idle prompt 5 s later, one stays quiet.",
  workspaces: layoutTeams([
    {
      lead: lead("ws-rebusy-lead", "ops-lead"),
      members: [
        {
          id: "ws-queued-inbox",
          name: "queued-inbox",
          role: "on-call agent",
          tasks: busyWith("Triaging the pager backlog"),
          behaviour: { cancel: { kind: "honour", drainAfterMs: 500 }, comesBack: { queuedMessage: { task: "Answer the queued message from ops-bot", heartbeatMs: 2000 } } },
        },
        {
          id: "ws-idle-looper",
          name: "idle-looper",
          role: "backlog groomer",
          tasks: busyWith("Grooming the backlog"),
          behaviour: { cancel: { kind: "honour", drainAfterMs: 800 }, comesBack: { idlePrompt: { task: "Idle prompt: look for more work", afterMs: 5000 } } },
        },
        { id: "ws-stays-quiet", name: "stays-quiet", role: "reporter", tasks: busyWith("Writing the weekly report"), behaviour: { cancel: { kind: "honour", drainAfterMs: 1000 } } },
      ],
    },
  ]),
};
