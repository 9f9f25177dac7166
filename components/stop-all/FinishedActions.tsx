"use client";

import { useState } from "react";
import type { StopAllState } from "@/lib/stop-all/types";
import { downloadReport, reportJson } from "./report-actions";
import { useStopAllInfo } from "./StopAllProvider";

/**
 * Copy and download of the report once the operation has finished. Mounted
 * for as long as the panel is (it renders nothing while the operation runs),
 * so the copy notice stays through a retry.
 */
export function FinishedActions({ state }: { state: StopAllState }) {
  const [copied, setCopied] = useState<string | undefined>();
  const operation = useStopAllInfo();
  if (state.phase !== "finished") return null;
  return (
    <>
      <button
        type="button"
        onClick={() =>
          navigator.clipboard.writeText(reportJson(state, operation)).then(
            () => setCopied("Report copied"),
            () => setCopied("Copy failed: use Download"),
          )
        }
        className="rounded border border-slate-300 px-2 py-1 hover:bg-slate-100"
      >
        Copy report
      </button>
      <button type="button" onClick={() => downloadReport(state, operation)} className="rounded border border-slate-300 px-2 py-1 hover:bg-slate-100">
        Download report
      </button>
      {copied && <span className="self-center text-xs text-slate-600">{copied}</span>}
    </>
  );
}
