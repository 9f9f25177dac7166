import type { WorkspaceStatus } from "@/lib/platform/workspace";

/** One place that maps every status to how it looks. */
export const STATUS_STYLES: Record<WorkspaceStatus, { label: string; pill: string; border: string }> = {
  online: { label: "online", pill: "bg-emerald-100 text-emerald-900", border: "border-emerald-400" },
  degraded: { label: "degraded", pill: "bg-amber-100 text-amber-900", border: "border-amber-400" },
  offline: { label: "offline", pill: "bg-slate-200 text-slate-800", border: "border-slate-400" },
  provisioning: { label: "provisioning", pill: "bg-sky-100 text-sky-900", border: "border-sky-400" },
  failed: { label: "failed", pill: "bg-red-100 text-red-900", border: "border-red-500" },
  paused: { label: "paused", pill: "bg-violet-100 text-violet-900", border: "border-violet-400" },
  hibernated: { label: "hibernated", pill: "bg-indigo-100 text-indigo-900", border: "border-indigo-300" },
  removed: { label: "removed", pill: "bg-slate-100 text-slate-700", border: "border-slate-300" },
  unknown: { label: "unknown", pill: "bg-zinc-100 text-zinc-800", border: "border-zinc-400" },
};
