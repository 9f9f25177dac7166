import type { A2AProtocol } from "../platform/workspace";

/** The two A2A versions whose method names differ. */
export type A2AVersion = "0.3" | "1.0";

/** A JSON-RPC method name together with the version it belongs to. */
export interface A2AMethod {
  version: A2AVersion;
  name: string;
}

const CANCEL: Record<A2AVersion, string> = { "0.3": "tasks/cancel", "1.0": "CancelTask" };

/** `ListTasks` exists in A2A 1.0 only; a 0.3 agent answers it with -32601. */
export const LIST_TASKS: A2AMethod = { version: "1.0", name: "ListTasks" };

/** The version to try first: the card's, or 1.0 when the card says nothing usable. */
export function firstVersion(protocol: A2AProtocol): A2AVersion {
  return protocol === "0.3" ? "0.3" : "1.0";
}

export function otherVersion(version: A2AVersion): A2AVersion {
  return version === "1.0" ? "0.3" : "1.0";
}

/**
 * The cancel method names in the order to try them: the protocol's own name,
 * then the other version's name (used once, when the first is not understood).
 */
export function cancelMethods(protocol: A2AProtocol): readonly [A2AMethod, A2AMethod] {
  const first = firstVersion(protocol);
  const second = otherVersion(first);
  return [
    { version: first, name: CANCEL[first] },
    { version: second, name: CANCEL[second] },
  ];
}
