import { z } from "zod";
import type { A2AProtocol } from "../platform/workspace";
import { type A2ACallContext, type A2ACallOptions, sendWithFallback } from "./a2a-call";
import { cancelMethods, type A2AVersion } from "./a2a-methods";
import type { ProxyFailure } from "./proxy-answer";
import { toTaskState, type ReadTaskState } from "./task-state";

/** Why an agent that received a cancel refused it. */
export type CancelRefusal = "task-not-found" | "task-not-cancelable" | "unsupported-operation" | "invalid-params" | "other";

/** What one cancel request came to. */
export type CancelResult =
  /** The agent answered with the task (normally `canceled`): delivered, not proof the work stopped. */
  | { kind: "delivered"; taskState: ReadTaskState; method: string; version: A2AVersion }
  /** The agent received the cancel and refused it with a JSON-RPC error. */
  | { kind: "refused"; code: number; refusal: CancelRefusal; message: string; method: string; version: A2AVersion }
  /** Both versions' method names were rejected (-32601 / -32009): not delivered. */
  | { kind: "not-understood"; methods: string[]; codes: number[] }
  | ProxyFailure;

const REFUSALS: Record<number, CancelRefusal> = {
  [-32001]: "task-not-found",
  [-32002]: "task-not-cancelable",
  [-32004]: "unsupported-operation",
  [-32602]: "invalid-params",
};

const taskSchema = z.object({ status: z.object({ state: z.union([z.string(), z.number()]) }) });

/** Accepts what task ids look like in practice and nothing unbounded. */
export function isUsableTaskId(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= 256;
}

/**
 * Sends `tasks/cancel` or `CancelTask` (by the agent's protocol, falling back
 * once to the other name) and says what the answer means.
 */
export async function cancelTask(
  ctx: A2ACallContext,
  workspace: { id: string; protocol: A2AProtocol },
  taskId: string,
  options: A2ACallOptions,
): Promise<CancelResult> {
  const sent = await sendWithFallback(ctx, workspace.id, cancelMethods(workspace.protocol), { id: taskId }, options);
  if (sent.kind === "not-understood") return sent;
  const { method, answer } = sent;
  if (answer.kind === "rpc-result") {
    const task = taskSchema.safeParse(answer.result);
    const taskState = task.success ? toTaskState(task.data.status.state) : "unknown";
    return { kind: "delivered", taskState, method: method.name, version: method.version };
  }
  if (answer.kind === "rpc-error") {
    const refusal = REFUSALS[answer.code] ?? "other";
    return { kind: "refused", code: answer.code, refusal, message: answer.message, method: method.name, version: method.version };
  }
  return answer;
}
