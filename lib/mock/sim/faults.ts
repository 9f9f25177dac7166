import type { A2AFault, RestartFault } from "./behaviour";

/** The first fault that applies to this JSON-RPC method and attempt number (1-based), if any. */
export function matchFault(faults: readonly A2AFault[], method: string, attempt: number): A2AFault | undefined {
  return faults.find(
    (fault) =>
      (!fault.methods || fault.methods.includes(method)) &&
      (fault.firstAttempts === undefined || attempt <= fault.firstAttempts) &&
      (!fault.attempts || fault.attempts.includes(attempt)),
  );
}

/** The first restart fault that applies to this attempt number (1-based), if any. */
export function matchRestartFault(faults: readonly RestartFault[] | undefined, attempt: number): RestartFault | undefined {
  return faults?.find(
    (fault) => (fault.firstAttempts === undefined || attempt <= fault.firstAttempts) && (!fault.attempts || fault.attempts.includes(attempt)),
  );
}
