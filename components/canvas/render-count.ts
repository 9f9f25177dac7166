"use client";

import { useEffect } from "react";

/**
 * Counted in mock builds, for `npm run bench` (e2e/bench/): commits that
 * rendered the canvas component, renders of workspace nodes, and redraws
 * of the overview.
 */
export interface RenderCounts {
  canvas: number;
  nodes: number;
  overview: number;
}

declare global {
  interface Window {
    __fleetRenders?: RenderCounts;
  }
}

const counting = process.env.NEXT_PUBLIC_PLATFORM_MODE !== "live";

function bump(kind: keyof RenderCounts): void {
  const counts = (window.__fleetRenders ??= { canvas: 0, nodes: 0, overview: 0 });
  counts[kind] += 1;
}

function useCountRenders(kind: keyof RenderCounts): void {
  // No dependency list: runs after every commit in which the component rendered.
  useEffect(() => bump(kind));
}

const noCount = (): void => {};

/** Counts this component's renders in mock builds; nothing in live builds (the literal comparison is inlined at build time). */
export const useRenderCount: (kind: keyof RenderCounts) => void = counting ? useCountRenders : noCount;

/** Counts one overview redraw in mock builds. */
export const countOverviewDraw: () => void = counting ? () => bump("overview") : noCount;
