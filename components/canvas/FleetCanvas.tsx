"use client";

import { Background, Controls, ReactFlow, type Edge } from "@xyflow/react";
import { useMemo } from "react";
import { useFleet, useFleetStoreApi } from "@/components/fleet/FleetStoreProvider";
import { positionOf } from "./layout";
import { WorkspaceNode, type WorkspaceFlowNode } from "./WorkspaceNode";

// Module level so React Flow never sees a new nodeTypes object.
const nodeTypes = { workspace: WorkspaceNode };

/**
 * The pannable, zoomable canvas. Nodes are rebuilt only when the set of
 * workspaces changes; live updates reach each node through its own store
 * selector, not through the nodes array.
 */
export function FleetCanvas() {
  const ids = useFleet((s) => s.ids);
  const store = useFleetStoreApi();

  const { nodes, edges } = useMemo(() => {
    const { workspaces } = store.getState();
    const columns = Math.max(4, Math.ceil(Math.sqrt(ids.length)));
    const nodes: WorkspaceFlowNode[] = ids.map((id, index) => ({
      id,
      type: "workspace",
      position: positionOf(workspaces[id], index, columns),
      data: {},
      draggable: false,
      selectable: false,
      connectable: false,
    }));
    const present = new Set(ids);
    const edges: Edge[] = [];
    for (const id of ids) {
      const parent = workspaces[id]?.parentId;
      if (parent && present.has(parent)) edges.push({ id: `team-${parent}-${id}`, source: parent, target: id, focusable: false });
    }
    return { nodes, edges };
  }, [ids, store]);

  return (
    <ReactFlow
      aria-label="Fleet canvas"
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable={false}
      onlyRenderVisibleElements
      minZoom={0.05}
      fitView
      fitViewOptions={{ padding: 0.1, maxZoom: 1.2 }}
    >
      <Background />
      <Controls showInteractive={false} />
    </ReactFlow>
  );
}
