import type { PlatformClient, PlatformResponse } from "../../platform/client";
import type { Fence } from "./lease";

const FENCED: PlatformResponse = { ok: false, error: "network", message: "not sent: this canvas replica no longer drives the operation" };

/**
 * The platform client an operation driven on this replica sends with:
 * every A2A call and restart first asks the fence, so a replica that lost
 * (or could not renew) its lease sends nothing more, even if it wakes up
 * mid-operation. Reading the rows is not fenced.
 */
export function fencedClient(client: PlatformClient, fence: Fence): PlatformClient {
  return {
    listWorkspaces: (signal) => client.listWorkspaces(signal),
    postA2A: (id, body, signal) => (fence.mayAct() ? client.postA2A(id, body, signal) : Promise.resolve(FENCED)),
    restart: (id, signal) => (fence.mayAct() ? client.restart(id, signal) : Promise.resolve(FENCED)),
  };
}
