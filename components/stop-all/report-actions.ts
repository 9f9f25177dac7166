"use client";

import { buildReport, type ReportOperation } from "@/lib/stop-all/report";
import type { StopAllState } from "@/lib/stop-all/types";

export function reportJson(state: StopAllState, operation?: ReportOperation): string {
  return JSON.stringify(buildReport(state, operation), null, 2);
}

export function reportFileName(state: StopAllState): string {
  return `stop-all-${new Date(state.startedAt).toISOString().replaceAll(":", "-").replace(/\.\d+Z$/, "Z")}.json`;
}

/** Saves the report as a JSON file through a temporary object URL. */
export function downloadReport(state: StopAllState, operation?: ReportOperation): void {
  const url = URL.createObjectURL(new Blob([reportJson(state, operation)], { type: "application/json" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = reportFileName(state);
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
