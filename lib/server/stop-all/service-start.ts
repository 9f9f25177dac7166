import "server-only";
import type { OperationInfo, OperationView, StartRequest } from "../../stop-all-host/wire";
import { resolveOptions } from "../../stop-all/options";
import { initialState } from "../../stop-all/transitions";
import { drive } from "./driver";
import { LEASE_MS } from "./lease";
import { recheckTargets } from "./recheck-targets";
import { adopt, type ServiceAnswer, type ServiceContext } from "./service-context";
import { viewOf } from "./service-read";

/**
 * Starts an operation on the confirmed ids that are still targets: the
 * fleet re-read (unless the view is current: its socket open and its rows
 * read since), the targets re-checked, the operation begun in the journal
 * (which refuses a second running one: 409 with it) and driven here (201).
 */
export async function startOperation(ctx: ServiceContext, request: StartRequest, actor: string): Promise<ServiceAnswer<OperationView>> {
  const { journal, clock, deps } = ctx;
  const [running] = await journal.running(deps.fleetKey);
  if (running) return { status: 409, error: "a Stop All is already running for this fleet", body: await viewOf(ctx, running.id) };
  try {
    if (!deps.fleet.current()) await deps.fleet.refresh();
  } catch (error) {
    if (!deps.fleet.loaded()) return { status: 503, error: `the platform's workspaces cannot be read: ${error instanceof Error ? error.message : String(error)}` };
  }
  const checked = recheckTargets(request.targets, deps.fleet.workspaces());
  if (!checked.ok) return { status: 400, error: checked.error };
  if (checked.targets.length === 0) return { status: 422, error: "none of the confirmed workspaces is still busy", body: { leftOut: checked.leftOut } };
  const now = clock.now();
  const info: OperationInfo = { id: ctx.newId(), fleet: deps.fleetKey, actor, reason: request.reason?.trim() ?? "", startedAt: now, leftOut: checked.leftOut, actions: [] };
  const seeds = checked.targets.map((workspace) => ({ workspaceId: workspace.id, name: workspace.name, protocol: workspace.protocol }));
  const resolved = resolveOptions(deps.options);
  const mode = request.mode ?? "stop";
  // The mode is in the first record: a replica that takes over before the driver's first write still holds, not restarts.
  const began = await journal.begin(info, initialState(seeds, now, now + resolved.deadlineMs, resolved.quietMs, mode), deps.replicaId, now + LEASE_MS);
  if (!began.ok) return { status: 409, error: "a Stop All is already running for this fleet", body: await viewOf(ctx, began.runningId) };
  const entry = adopt(ctx, drive({ ...deps, info, lease: began.lease, grantedAt: now, from: { targets: checked.targets, mode } }));
  return { status: 201, body: entry.live.view() };
}
