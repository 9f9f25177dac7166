"use client";

import { Background, Controls, getViewportForBounds, Panel, ReactFlow, ReactFlowProvider, useStore, useStoreApi, type NodeChange, type ReactFlowInstance } from "@xyflow/react";
import { useCallback, useMemo, useState } from "react";
import { useStopScope } from "@/components/stop-all/StopScopeProvider";
import type { FleetLayout } from "./fleet-layout";
import { FleetOverview } from "./FleetOverview";
import { WorkspaceNode, type WorkspaceFlowNode } from "./WorkspaceNode";

// Module level, so React Flow never sees a new object for them: a new prop
// identity is a React Flow store update, which every node's selectors see.
const nodeTypes = { workspace: WorkspaceNode };
const NO_NODES: WorkspaceFlowNode[] = [];
const NO_EDGES: FleetLayout["edges"] = [];

const MIN_ZOOM = 0.02;
/** The first view fits the whole fleet, but never closer than this. */
const MAX_FIT_ZOOM = 1.2;
/** Below this zoom a fleet is drawn as the overview: names are unreadable there anyway (14 px text under 7 px). */
export const DETAIL_ZOOM = 0.45;
/** A fleet this small is always drawn as nodes, whatever the zoom. */
export const ALWAYS_DETAILED_UP_TO = 200;

/**
 * The fleet on React Flow. Zoomed in, every workspace on screen is a node
 * (React Flow renders only those in view; each node subscribes to its own
 * workspace). Zoomed out on a large fleet, it is the canvas overview, and
 * React Flow holds no nodes at all.
 */
function FleetFlowView({ layout }: { layout: FleetLayout }) {
  const flowStore = useStoreApi();
  const [fitted, setFitted] = useState(false);
  const zoomedIn = useStore((s) => s.transform[2] >= DETAIL_ZOOM);
  const detailed = fitted && (layout.nodes.length <= ALWAYS_DETAILED_UP_TO || zoomedIn);
  const selected = useStopScope((s) => s.selected);
  const setSelected = useStopScope((s) => s.setSelected);
  // The layout's own nodes while nothing is selected: a new nodes array is a store update every node sees.
  const nodes = useMemo(() => (selected.size === 0 ? layout.nodes : layout.nodes.map((node) => (selected.has(node.id) ? { ...node, selected: true } : node))), [layout.nodes, selected]);
  // React Flow selects (click, Shift-click, Shift-drag a box, a click on the pane clears); the selection lives in the scope store.
  const onNodesChange = useCallback(
    (changes: NodeChange<WorkspaceFlowNode>[]) => {
      const picks = changes.filter((change) => change.type === "select");
      if (picks.length === 0) return;
      setSelected((current) => {
        const next = new Set(current);
        for (const pick of picks) {
          if (pick.selected) next.add(pick.id);
          else next.delete(pick.id);
        }
        return next;
      });
    },
    [setSelected],
  );

  // The first view fits the fleet, computed from the layout (every node has a fixed size).
  const onInit = useCallback(
    (flow: ReactFlowInstance<WorkspaceFlowNode>) => {
      const { width, height } = flowStore.getState();
      const viewport = getViewportForBounds(layout.bounds, width || window.innerWidth, height || window.innerHeight, MIN_ZOOM, MAX_FIT_ZOOM, 0.1);
      void flow.setViewport(viewport).finally(() => setFitted(true));
    },
    [flowStore, layout.bounds],
  );

  return (
    <ReactFlow
      aria-label="Fleet canvas"
      nodes={detailed ? nodes : NO_NODES}
      edges={detailed ? layout.edges : NO_EDGES}
      nodeTypes={nodeTypes}
      onNodesChange={onNodesChange}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable
      multiSelectionKeyCode="Shift"
      selectionKeyCode="Shift"
      deleteKeyCode={null}
      onlyRenderVisibleElements
      minZoom={MIN_ZOOM}
      onInit={onInit}
    >
      <Background />
      {fitted && !detailed && (
        <>
          <FleetOverview layout={layout} />
          <Panel position="top-left" className="rounded bg-white/90 px-2 py-1 text-xs text-slate-700 shadow-sm">
            Overview of {layout.nodes.length.toLocaleString("en")} workspaces (orange: busy). Zoom in to see each one.
          </Panel>
        </>
      )}
      <Controls showInteractive={false} />
    </ReactFlow>
  );
}

/** React Flow and everything drawn with it: loaded on its own (see FleetCanvas). */
export default function FleetFlow({ layout }: { layout: FleetLayout }) {
  return (
    <ReactFlowProvider>
      <FleetFlowView layout={layout} />
    </ReactFlowProvider>
  );
}
