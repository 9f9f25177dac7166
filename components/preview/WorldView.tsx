"use client";

import { useMemo, type ReactNode } from "react";
import { FleetStoreProvider } from "@/components/fleet/FleetStoreProvider";
import { StopAllCoordinatorProvider } from "@/components/stop-all/StopAllProvider";
import type { PreviewRecipe } from "./recipes";
import { usePreviewWorld } from "./use-preview-world";

/** Builds the world of `recipe`, then renders `children` over its own fleet store and Stop All coordinator. */
export function WorldView({ recipe, children }: { recipe: PreviewRecipe; children: ReactNode }) {
  const state = usePreviewWorld(recipe);
  const world = state.kind === "ready" ? state.world : undefined;
  // The panel's countdown reads the world's (fake) clock, not the wall clock.
  const source = useMemo(
    () => world && { subscribe: world.coordinator.subscribe, current: world.coordinator.current, start: world.coordinator.start, now: () => world.clock.now() },
    [world],
  );
  if (state.kind === "building") {
    return (
      <p role="status" className="text-sm text-slate-600">
        Building this view…
      </p>
    );
  }
  if (state.kind === "failed") {
    return (
      <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900">
        This view could not be built: {state.message}
      </p>
    );
  }
  if (!source || !world) return null;
  return (
    <FleetStoreProvider store={world.store}>
      <StopAllCoordinatorProvider coordinator={source}>{children}</StopAllCoordinatorProvider>
    </FleetStoreProvider>
  );
}
