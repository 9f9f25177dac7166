"use client";

import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import { useFleet } from "@/components/fleet/FleetStoreProvider";
import { NodeStopBadge } from "@/components/stop-all/NodeStopBadge";
import { StopTeamButton } from "@/components/stop-all/StopTeamButton";
import { NODE_HEIGHT, NODE_WIDTH } from "./layout";
import { useRenderCount } from "./render-count";
import { STATUS_STYLES } from "./status-styles";

const NODE_SIZE = { width: NODE_WIDTH, height: NODE_HEIGHT };

/** `team`: the workspace leads a team, these ids (itself first): its node offers "Stop team". */
export type WorkspaceFlowNode = Node<{ team?: readonly string[] }, "workspace">;

/**
 * One workspace on the canvas. It subscribes to its own workspace only, so
 * an update to one workspace re-renders one node. Names and tasks are
 * untrusted and rendered as text.
 */
function WorkspaceNodeView({ id, data, selected }: NodeProps<WorkspaceFlowNode>) {
  const ws = useFleet((s) => s.workspaces[id]);
  useRenderCount("nodes");
  if (!ws) return null;
  const style = STATUS_STYLES[ws.status];
  return (
    <article
      aria-label={`Workspace ${ws.name}`}
      aria-current={selected ? "true" : undefined}
      data-testid={`workspace-${ws.id}`}
      data-selected={selected ? "true" : undefined}
      className={`relative overflow-hidden rounded-md border-2 bg-white px-3 py-2 text-left shadow-sm ${style.border} ${selected ? "ring-4 ring-blue-600 ring-offset-1" : ""}`}
      style={NODE_SIZE}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="flex items-center justify-between gap-2">
        <h2 className="truncate text-sm font-semibold" title={ws.name}>
          {ws.name}
        </h2>
        <span className={`shrink-0 rounded px-1.5 py-0.5 text-xs ${style.pill}`} title={ws.rawStatus}>
          {ws.status === "unknown" ? `unknown (${ws.rawStatus.slice(0, 20)})` : style.label}
        </span>
      </div>
      <p className="mt-1 text-xs text-slate-700">
        <span className="font-semibold tabular-nums" data-testid="active-tasks">
          {ws.activeTasks}
        </span>{" "}
        {ws.activeTasks === 1 ? "active task" : "active tasks"}
      </p>
      <p className="truncate text-xs text-slate-600" title={ws.currentTask}>
        {ws.currentTask || "Idle"}
      </p>
      <NodeStopBadge workspaceId={ws.id} />
      {data.team && <StopTeamButton leadId={ws.id} name={ws.name} team={data.team} />}
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </article>
  );
}

export const WorkspaceNode = memo(WorkspaceNodeView);
