import type { A2AFault, AttemptFault } from "./behaviour";

/** The first fault that applies to this JSON-RPC method and attempt number (1-based), if any. */
export function matchFault(faults: readonly A2AFault[], method: string, attempt: number): A2AFault | undefined {
  return faults.find(
    (fault) =>
      (!fault.methods || fault.methods.includes(method)) &&
      (fault.firstAttempts === undefined || attempt <= fault.firstAttempts) &&
      (!fault.attempts || fault.attempts.includes(attempt)),
  );
}

/** The first restart, pause or resume fault that applies to this attempt number (1-based), if any. */
export function matchAttemptFault<Answer>(faults: readonly AttemptFault<Answer>[] | undefined, attempt: number): AttemptFault<Answer> | undefined {
  return faults?.find(
    (fault) => (fault.firstAttempts === undefined || attempt <= fault.firstAttempts) && (!fault.attempts || fault.attempts.includes(attempt)),
  );
}
