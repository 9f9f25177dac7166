"use client";

import { useId, useLayoutEffect, type RefObject } from "react";

/**
 * StopAllPanel names its landmark through a fixed id, so several panels on
 * one page would share that id and one name ("Stop All"). This gives the
 * panel inside `box` a title id of its own and adds the view's heading
 * (`labelledBy`) to its name. Runs again when the panel is shown again.
 */
export function usePanelName(box: RefObject<HTMLElement | null>, labelledBy: string, shown: boolean): void {
  const titleId = `${useId()}panel-title`;
  useLayoutEffect(() => {
    const panel = box.current?.querySelector("aside[aria-labelledby]");
    const title = panel?.querySelector("h2");
    if (!shown || !panel || !title) return;
    title.id = titleId;
    panel.setAttribute("aria-labelledby", `${titleId} ${labelledBy}`);
  }, [box, labelledBy, shown, titleId]);
}
