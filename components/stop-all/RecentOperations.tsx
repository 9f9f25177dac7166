"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { useStopAllCoordinator } from "./StopAllProvider";

export const recentOperationsQueryKey = ["stop-all", "recent"] as const;

/**
 * Live mode: "Recent operations", the server's last 50 Stop Alls with who,
 * why and how each ended; opening one shows its report in the panel.
 * Renders nothing where the host keeps no history (the page's own).
 */
export function RecentOperations() {
  const host = useStopAllCoordinator();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const history = host.history;
  const recent = useQuery({ queryKey: recentOperationsQueryKey, queryFn: () => history!(), enabled: open && history !== undefined, staleTime: 0 });

  useEffect(() => {
    const element = dialog.current;
    if (open && element && !element.open) element.showModal();
    if (!open && element?.open) element.close();
  }, [open]);

  if (!history || !host.show) return null;
  const show = host.show;
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} className="rounded border border-slate-300 px-2 py-1.5 text-sm hover:bg-slate-100">
        Recent operations
      </button>
      <dialog ref={dialog} aria-labelledby={titleId} onClose={() => setOpen(false)} className="m-auto w-[36rem] max-w-full rounded-lg border border-slate-300 p-0 shadow-xl backdrop:bg-slate-900/40">
        <div className="p-5">
          <h2 id={titleId} className="text-lg font-semibold">
            Recent operations
          </h2>
          {recent.isPending && <p className="mt-2 text-sm text-slate-600">Loading…</p>}
          {recent.isError && (
            <p role="alert" className="mt-2 text-sm text-red-900">
              {recent.error.message}
            </p>
          )}
          {error && (
            <p role="alert" className="mt-2 text-sm text-red-900">
              {error}
            </p>
          )}
          {recent.data?.length === 0 && <p className="mt-2 text-sm text-slate-600">No Stop All has run on this fleet yet.</p>}
          <ul aria-label="Recent Stop All operations" className="mt-3 max-h-96 divide-y divide-slate-200 overflow-y-auto text-sm">
            {recent.data?.map((entry) => (
              <li key={entry.id} className="flex items-start justify-between gap-3 py-2">
                <div>
                  <p className="font-medium">{new Date(entry.startedAt).toLocaleString()} · {entry.actor}</p>
                  {entry.reason && <p className="text-slate-700">Reason: {entry.reason}</p>}
                  <p className="text-slate-600">{entry.summary}</p>
                </div>
                <button
                  type="button"
                  aria-label={`Open the report of ${new Date(entry.startedAt).toLocaleString()} by ${entry.actor}`}
                  onClick={() =>
                    show(entry.id).then(
                      () => setOpen(false),
                      (cause: unknown) => setError(cause instanceof Error ? cause.message : String(cause)),
                    )
                  }
                  className="shrink-0 rounded border border-slate-300 px-2 py-1 hover:bg-slate-100"
                >
                  Open report
                </button>
              </li>
            ))}
          </ul>
          <div className="mt-4 flex justify-end">
            <button type="button" onClick={() => setOpen(false)} className="rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100">
              Close
            </button>
          </div>
        </div>
      </dialog>
    </>
  );
}
