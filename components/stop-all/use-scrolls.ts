"use client";

import { useEffect, useState } from "react";

/**
 * Whether the element scrolls (its content is taller than its box), kept
 * up as either changes. A region that scrolls must be a tab stop, or a
 * keyboard cannot scroll it (axe: scrollable-region-focusable); one that
 * does not scroll must not be an empty stop on the way to the controls.
 * A ResizeObserver on the element and on each child sees both change (its
 * callbacks run after layout, so reading the heights there costs no extra
 * layout); a MutationObserver follows the children as they come and go.
 * Returns the ref to put on the element (a callback: the element may
 * mount after the component) and whether it scrolls.
 */
export function useScrolls<T extends HTMLElement>(): [(element: T | null) => void, boolean] {
  const [element, setElement] = useState<T | null>(null);
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    if (!element || typeof ResizeObserver === "undefined") return;
    const check = () => setScrolls(element.scrollHeight > element.clientHeight + 1);
    const sizes = new ResizeObserver(check);
    const observeAll = () => {
      sizes.disconnect();
      sizes.observe(element);
      for (const child of element.children) sizes.observe(child);
    };
    const children = new MutationObserver(() => {
      observeAll();
      check();
    });
    observeAll();
    children.observe(element, { childList: true });
    return () => {
      sizes.disconnect();
      children.disconnect();
    };
  }, [element]);
  return [setElement, scrolls];
}
