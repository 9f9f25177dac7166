"use client";

import { useEffect, useId, useRef, useState } from "react";
import { MAX_REASON_CHARS } from "@/lib/stop-all-host/wire";
import { stopAllDeadlineMs } from "@/lib/stop-all/deployment-settings";
import { NO_HOLD_CASCADE, type HoldCascade } from "@/lib/stop-all/hold-cascade";
import { formatDeadline } from "@/lib/stop-all/options";
import type { StopMode } from "@/lib/stop-all/types";

export interface ConfirmStopAllProps {
  open: boolean;
  busy: number;
  /** Called with the reason the operator typed ("" when none, or when no reason is asked for) and the chosen mode. */
  onConfirm: (reason: string, mode: StopMode) => void;
  onClose: () => void;
  /** False renders it in place (`<dialog open>`), for previews. */
  modal?: boolean;
  /** Live mode: an optional reason, recorded with the operation and shown to everyone watching it. */
  takesReason?: boolean;
  /** The deadline the operation will run with (a preview's world runs with its own). */
  deadlineMs?: number;
  /** What the Stop All covers when it is not the whole fleet (the selection, a team); "" or none: the whole fleet. */
  scopeLine?: string;
  /** What a hold would also pause (not targets, below them); shown when the operator picks "Stop and hold". */
  cascade?: HoldCascade;
  /** The chosen mode, when the caller keeps it (so it works out the cascade only for a hold); otherwise the dialog keeps its own. */
  mode?: StopMode;
  onModeChange?: (mode: StopMode) => void;
}

/**
 * The short confirmation before a Stop All. A native modal dialog: focus is
 * trapped inside, Escape cancels, and Enter confirms (the confirm button has
 * focus and the form submits).
 */
export function ConfirmStopAll({ open, busy, onConfirm, onClose, modal = true, takesReason = false, deadlineMs = stopAllDeadlineMs, scopeLine = "", cascade = NO_HOLD_CASCADE, mode: keptMode, onModeChange }: ConfirmStopAllProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const confirm = useRef<HTMLButtonElement>(null);
  const [reason, setReason] = useState("");
  const [ownMode, setOwnMode] = useState<StopMode>("stop");
  const mode = keptMode ?? ownMode;
  const setMode = onModeChange ?? setOwnMode;

  useEffect(() => {
    const element = dialog.current;
    if (!element || !modal) return;
    if (open && !element.open) {
      element.showModal();
      confirm.current?.focus();
    }
    if (!open && element.open) element.close();
  }, [open, modal]);

  const workspaces = `${busy} busy ${busy === 1 ? "workspace" : "workspaces"}`;
  return (
    <dialog
      ref={dialog}
      open={modal ? undefined : open}
      aria-labelledby="stop-all-title"
      aria-describedby="stop-all-description"
      onClose={onClose}
      className="m-auto max-w-md rounded-lg border border-slate-300 p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      <form
        method="dialog"
        className="p-5"
        onSubmit={(event) => {
          event.preventDefault();
          onConfirm(takesReason ? reason.trim() : "", mode);
          setReason("");
          setMode("stop");
        }}
      >
        <h2 id="stop-all-title" className="text-lg font-semibold">
          Stop {workspaces}?
        </h2>
        {scopeLine && (
          <p className="mt-2 text-sm font-medium text-slate-800" data-testid="stop-all-scope">
            {scopeLine}
          </p>
        )}
        <ModeChoice mode={mode} onChange={setMode} deadline={formatDeadline(deadlineMs)} />
        {mode === "hold" && <CascadeNote cascade={cascade} />}
        {takesReason && <ReasonField value={reason} onChange={setReason} />}
        <div className="mt-5 flex justify-end gap-2">
          <button type="button" onClick={onClose} className="rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100">
            Cancel
          </button>
          <button ref={confirm} type="submit" className="rounded bg-red-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-red-800">
            {mode === "hold" ? "Stop and hold" : "Stop"} {workspaces}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** Stop or stop and hold, each saying what it does, with the deadline it runs with. */
function ModeChoice({ mode, onChange, deadline }: { mode: StopMode; onChange: (mode: StopMode) => void; deadline: string }) {
  const name = useId();
  return (
    <fieldset id="stop-all-description" className="mt-3 text-sm">
      <legend className="text-slate-700">
        Each gets a polite A2A cancel first. Then:
      </legend>
      <label className="mt-1 flex gap-2 rounded border border-slate-200 p-2 has-[:checked]:border-red-400 has-[:checked]:bg-red-50">
        <input type="radio" name={name} value="stop" checked={mode === "stop"} onChange={() => onChange("stop")} className="mt-0.5" />
        <span>
          <span className="font-medium">Stop</span>: those still busy after {deadline} are restarted, which loses their in-flight work. A
          drained workspace may take new work at once.
        </span>
      </label>
      <label className="mt-1 flex gap-2 rounded border border-slate-200 p-2 has-[:checked]:border-violet-400 has-[:checked]:bg-violet-50">
        <input type="radio" name={name} value="hold" checked={mode === "hold"} onChange={() => onChange("hold")} className="mt-0.5" />
        <span>
          <span className="font-medium">Stop and hold</span>: each is paused once it has drained, and those still busy after {deadline} are
          paused instead of restarted. A paused workspace takes no new work until you resume it.
        </span>
      </label>
      <p className="mt-1 text-xs text-slate-600">You can force the undrained ones sooner, or keep any of them, while it runs.</p>
    </fieldset>
  );
}

/** A pause cascades to everything below a target: what else it stops, before it starts. */
function CascadeNote({ cascade }: { cascade: HoldCascade }) {
  if (cascade.count === 0) {
    return (
      <p className="mt-2 text-sm text-slate-700" data-testid="stop-all-cascade">
        Pausing stops no workspace besides these.
      </p>
    );
  }
  const more = cascade.count - cascade.names.split(", ").length;
  return (
    <p className="mt-2 rounded bg-amber-50 px-2 py-1 text-sm text-amber-950" data-testid="stop-all-cascade">
      A pause also stops everything below it: {cascade.count} {cascade.count === 1 ? "workspace" : "workspaces"} that{" "}
      {cascade.count === 1 ? "is" : "are"} not busy targets will be paused too: {cascade.names}
      {more > 0 ? `, and ${more} more` : ""}.
    </p>
  );
}

/** The optional reason (live mode), shown to everyone watching the operation. */
function ReasonField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const id = useId();
  return (
    <div className="mt-3 text-sm">
      <label htmlFor={id} className="font-medium text-slate-800">
        Reason (optional)
      </label>
      <input
        id={id}
        type="text"
        value={value}
        maxLength={MAX_REASON_CHARS}
        onChange={(event) => onChange(event.target.value)}
        placeholder="e.g. agents looping on the billing repo"
        className="mt-1 w-full rounded border border-slate-300 px-2 py-1"
      />
      <p className="mt-1 text-xs text-slate-600">Everyone watching this Stop All sees who started it and why.</p>
    </div>
  );
}
