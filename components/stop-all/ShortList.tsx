import type { ReactNode } from "react";

/** How many entries a panel list shows before it counts the rest. */
export const SHORT_LIST_SHOWN = 20;

/**
 * The first SHORT_LIST_SHOWN entries of a list that can hold thousands (every target
 * busy again, every confirmed workspace left out), then a line that counts
 * the rest. At 5,000 workspaces a full list was 2,000 rows of the panel's
 * header: it pushed the target list out of view, and replacing it when the
 * next Stop All started cost the page ~150 ms while its cancels went out.
 */
export function ShortList<T>({ items, keyOf, render, className }: { items: readonly T[]; keyOf: (item: T) => string; render: (item: T) => ReactNode; className?: string }) {
  const rest = items.length - SHORT_LIST_SHOWN;
  return (
    <ul className={className}>
      {items.slice(0, SHORT_LIST_SHOWN).map((item) => (
        <li key={keyOf(item)}>{render(item)}</li>
      ))}
      {rest > 0 && <li className="list-none">and {rest.toLocaleString("en")} more</li>}
    </ul>
  );
}
