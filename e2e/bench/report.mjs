/** Median, min and max of the defined numbers in `values` (undefined when none). */
export function stats(values) {
  const xs = values.filter((v) => typeof v === "number" && Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return undefined;
  const mid = Math.floor(xs.length / 2);
  const median = xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
  return { median, min: xs[0], max: xs[xs.length - 1], n: xs.length };
}

/**
 * The rows of the table: what is measured, from which samples, its unit and
 * its budget (checked against the median of the 1,000-workspace fleet).
 */
export const ROWS = [
  { label: "click → last cancel sent", from: "drain", key: "clickToLastCancelMs", unit: "ms", budget: 300 },
  { label: "targets sent a cancel (of 400 / 2,000), drain run", from: "drain", key: "cancelledTargets", unit: "" },
  { label: "floor: the mock alone through the app's transport, one request per busy workspace, 256 in flight → last sent / all answered", from: "naive", key: "appFloorLastSentMs", also: ["appFloorAllAnsweredMs"], unit: "ms" },
  { label: "the mock alone through its service worker (not the app's path), 8 in flight → last sent", from: "naive", key: "floorLastSentMs", unit: "ms" },
  { label: "last drain event → finished shown", from: "drain", key: "lastDrainToFinishedMs", unit: "ms", budget: 50 },
  { label: "deadline → last restart sent", from: "deadline", key: "deadlineToLastRestartMs", unit: "ms", budget: 300 },
  { label: "longest task (0: none over 50 ms), drain run", from: "drain", key: "longestTaskMs", unit: "ms", budget: 100 },
  { label: "longest task (0: none over 50 ms), deadline run", from: "deadline", key: "longestTaskMs", unit: "ms", budget: 100 },
  { label: "React commits, drain run (page)", from: "drain", key: "commits", unit: "" },
  { label: "canvas renders / node renders / overview redraws, drain run", from: "drain", key: "canvasRenders", also: ["nodeRenders", "overviewDraws"], unit: "" },
  { label: "React commits, deadline run (page)", from: "deadline", key: "commits", unit: "" },
  { label: "canvas renders / node renders / overview redraws, deadline run", from: "deadline", key: "canvasRenders", also: ["nodeRenders", "overviewDraws"], unit: "" },
  { label: "rows → canvas painted", from: "load", key: "rowsToPaintedMs", unit: "ms", budget: 1500 },
  { label: "navigation → canvas painted", from: "load", key: "navigationToPaintedMs", unit: "ms" },
  { label: "workspace nodes in the DOM / drawn on the overview, after load", from: "load", key: "nodesInDom", also: ["overviewAtPaint"], unit: "" },
  { label: "JS heap after load (after GC)", from: "load", key: "heapMB", unit: "MB", digits: 1 },
  { label: "two-phase: click → finished, drain run", from: "drain", key: "clickToFinishedMs", unit: "ms" },
  { label: "two-phase: click → finished, deadline run", from: "deadline", key: "clickToFinishedMs", unit: "ms" },
  { label: "two-phase: restarts sent, deadline run", from: "deadline", key: "restartsSent", unit: "" },
  { label: "naive: click → last restart sent", from: "naive", key: "clickToLastRestartMs", unit: "ms" },
  { label: "naive: click → all restarts answered", from: "naive", key: "clickToAllAnsweredMs", unit: "ms" },
  { label: "naive: restarts sent", from: "naive", key: "restartsSent", unit: "" },
  { label: "naive: longest task (to 1 s after the answers)", from: "naive", key: "longestTaskMs", unit: "ms" },
];

export const fmt = (v, digits = 0) => (v === undefined ? "—" : v.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits }));

export function cell(s, unit, digits) {
  if (!s) return "—";
  const u = unit ? ` ${unit}` : "";
  return s.min === s.max ? `${fmt(s.median, digits)}${u}` : `${fmt(s.median, digits)}${u} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;
}

/** Summaries per size and row, and whether each budget holds on the 1,000 fleet. */
export function summarize(samples, sizes) {
  const rows = ROWS.map((row) => {
    const bySize = {};
    for (const size of sizes) {
      const list = samples[size]?.[row.from] ?? [];
      bySize[size] = { value: stats(list.map((s) => s[row.key])), pairs: (row.also ?? []).map((key) => stats(list.map((s) => s[key]))) };
    }
    const checked = bySize[1000]?.value;
    const ok = row.budget === undefined || !checked ? undefined : checked.median <= row.budget;
    return { ...row, bySize, ok };
  });
  return rows;
}

/** The table in Markdown (printed, and pasted into README's Performance section). */
export function markdownTable(rows, sizes, bundles) {
  const head = `| measurement | budget (1,000) | ${sizes.map((s) => `${s.toLocaleString("en")} workspaces`).join(" | ")} |`;
  const lines = [head, `|---|---|${sizes.map(() => "---|").join("")}`];
  for (const row of rows) {
    const budget = row.budget === undefined ? "" : `≤ ${row.budget.toLocaleString("en")} ${row.unit}${row.ok === undefined ? "" : row.ok ? " ✅" : " ❌"}`;
    const cells = sizes.map((size) => {
      const { value, pairs } = row.bySize[size];
      return pairs.length > 0 ? [value, ...pairs].map((s) => cell(s, row.unit, row.digits)).join(" / ") : cell(value, row.unit, row.digits);
    });
    lines.push(`| ${row.label} | ${budget} | ${cells.join(" | ")} |`);
  }
  for (const [mode, bundle] of Object.entries(bundles)) {
    if (!bundle) continue;
    const budget = mode === "live" ? `≤ 250 KB${bundle.initialGzip / 1024 <= 250 ? " ✅" : " ❌"}` : "";
    const text = `${fmt(bundle.initialGzip / 1024, 1)} KB (${fmt(bundle.allGzip / 1024, 1)} KB with what start-up loads on its own)`;
    lines.push(`| first-load JS of \`/\`, gzip, mocking ${mode === "live" ? "off" : "on"} | ${budget} | ${sizes.map((_, i) => (i === 0 ? text : "(same build)")).join(" | ")} |`);
  }
  return lines.join("\n");
}
