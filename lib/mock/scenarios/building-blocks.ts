import type { ChattyBehaviour, PlainProxyStatus, ProxyAnswer } from "../sim/behaviour";
import type { TaskSpec } from "../sim/scenario";
import type { UnplacedWorkspace } from "./layout";

/** Long tasks in flight: they end only when cancelled or restarted. */
export function busyWith(...descriptions: string[]): TaskSpec[] {
  return descriptions.map((description) => ({ description }));
}

/** An idle team lead. */
export function lead(id: string, name: string, role = "team lead"): UnplacedWorkspace {
  return { id, name, role, tier: 1, runtime: "langgraph" };
}

/** A fault that answers every request to the workspace. */
export function always(answer: ProxyAnswer) {
  return [{ answer }];
}

/** A workspace whose proxy answers `status` to everything. */
export function answersStatus(status: PlainProxyStatus): UnplacedWorkspace {
  return {
    id: `ws-answers-${status}`,
    name: `answers-${status}`,
    role: `proxy answers ${status}`,
    tasks: busyWith(`Job held behind a ${status}`),
    behaviour: { faults: always({ kind: "status", status }) },
  };
}

/** An idle agent that keeps the canvas moving with short tasks every several seconds. */
export function chatty(tasks: string[]): ChattyBehaviour {
  return { idleMs: [4000, 9000], taskMs: [2000, 4000], tasks };
}
