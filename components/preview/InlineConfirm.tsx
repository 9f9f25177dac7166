"use client";

import { useEffect, useRef } from "react";
import { ConfirmStopAll } from "@/components/stop-all/ConfirmStopAll";

const nothing = () => {};

/**
 * The Stop All confirmation shown in place, not as a modal: ConfirmStopAll
 * only opens itself with showModal(), so its <dialog> is opened here the way
 * `<dialog open>` would (no focus move, no backdrop, the page stays usable).
 * Its buttons do nothing in the preview.
 */
export function InlineConfirm({ busy }: { busy: number }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const dialog = box.current?.querySelector("dialog");
    if (dialog && !dialog.open) dialog.setAttribute("open", "");
  }, []);
  return (
    <div ref={box} className="rounded-md bg-slate-200/60 p-4 [&_dialog]:static">
      <ConfirmStopAll open={false} busy={busy} onConfirm={nothing} onClose={nothing} />
    </div>
  );
}
