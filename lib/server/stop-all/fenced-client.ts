import type { PlatformClient, PlatformResponse } from "../../platform/client";
import type { Fence } from "./lease";

const FENCED: PlatformResponse = { ok: false, error: "network", message: "not sent: this canvas replica no longer drives the operation" };

/**
 * The platform client an operation driven on this replica sends with:
 * every A2A call, restart, pause and resume first asks the fence, so a replica that lost
 * its lease sends nothing more, even if it wakes up mid-operation. One whose
 * fence only ran out (its renewals are late) holds the call until the next
 * renewal lands, or until the call's own signal ends it (its timeout, the
 * deadline): at 5,000 workspaces on two replicas, failing them at once left
 * ~900 targets with no cancel and restarted them needlessly. Reading the
 * rows is not fenced.
 */
export function fencedClient(client: PlatformClient, fence: Fence): PlatformClient {
  // While the lease holds, the call goes straight through, with no async frame of its own: thousands are out at once.
  const whenFenceHolds = (signal: AbortSignal | undefined, send: () => Promise<PlatformResponse>): Promise<PlatformResponse> =>
    fence.mayAct() ? send() : fence.waitToAct(signal).then((mayAct) => (mayAct ? send() : FENCED));
  return {
    listWorkspaces: (signal) => client.listWorkspaces(signal),
    postA2A: (id, body, signal) => whenFenceHolds(signal, () => client.postA2A(id, body, signal)),
    restart: (id, signal) => whenFenceHolds(signal, () => client.restart(id, signal)),
    pause: (id, signal) => whenFenceHolds(signal, () => client.pause(id, signal)),
    resume: (id, signal) => whenFenceHolds(signal, () => client.resume(id, signal)),
  };
}
