import type { WorkspaceStatus } from "@/lib/platform/workspace";

/**
 * One place that maps every status to how it looks: Tailwind classes for
 * the nodes, and `color` (the border's colour as hex) for the overview, which
 * draws on a <canvas> where classes do not apply.
 */
export const STATUS_STYLES: Record<WorkspaceStatus, { label: string; pill: string; border: string; color: string }> = {
  online: { label: "online", pill: "bg-emerald-100 text-emerald-900", border: "border-emerald-400", color: "#34d399" },
  degraded: { label: "degraded", pill: "bg-amber-100 text-amber-900", border: "border-amber-400", color: "#fbbf24" },
  offline: { label: "offline", pill: "bg-slate-200 text-slate-800", border: "border-slate-400", color: "#94a3b8" },
  provisioning: { label: "provisioning", pill: "bg-sky-100 text-sky-900", border: "border-sky-400", color: "#38bdf8" },
  failed: { label: "failed", pill: "bg-red-100 text-red-900", border: "border-red-500", color: "#ef4444" },
  paused: { label: "paused", pill: "bg-violet-100 text-violet-900", border: "border-violet-400", color: "#a78bfa" },
  hibernated: { label: "hibernated", pill: "bg-indigo-100 text-indigo-900", border: "border-indigo-300", color: "#a5b4fc" },
  removed: { label: "removed", pill: "bg-slate-100 text-slate-700", border: "border-slate-300", color: "#cbd5e1" },
  unknown: { label: "unknown", pill: "bg-zinc-100 text-zinc-800", border: "border-zinc-400", color: "#a1a1aa" },
};

/** The overview's fill for a workspace with active tasks (idle ones are white inside their status colour). */
export const BUSY_COLOR = "#ea580c";

