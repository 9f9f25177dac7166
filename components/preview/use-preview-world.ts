"use client";

import { useEffect, useState } from "react";
import type { PreviewWorld } from "./preview-world";
import { createWorldFor, type PreviewRecipe } from "./recipes";

export type PreviewWorldState = { kind: "building" } | { kind: "ready"; world: PreviewWorld } | { kind: "failed"; message: string };

/** Builds and drives the world of `recipe` while mounted; disposes it on unmount. */
export function usePreviewWorld(recipe: PreviewRecipe): PreviewWorldState {
  const [state, setState] = useState<PreviewWorldState>({ kind: "building" });
  useEffect(() => {
    const world = createWorldFor(recipe);
    let mounted = true;
    recipe.drive(world).then(
      () => {
        if (!mounted) return;
        world.answerOperatorActions();
        setState({ kind: "ready", world });
      },
      (error: unknown) => {
        if (mounted) setState({ kind: "failed", message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      mounted = false;
      world.dispose();
    };
  }, [recipe]);
  return state;
}
