import "server-only";
import { createStopAllHandlers } from "./handlers";
import { stopAllRuntime } from "./runtime";

/** The handlers every /api/stop-all route uses, over the process's one service. */
export const stopAllHandlers = createStopAllHandlers(stopAllRuntime);

/** The `[id]` of a dynamic route's params. */
export async function idOf(context: { params: Promise<{ id: string }> }): Promise<string> {
  return (await context.params).id;
}
