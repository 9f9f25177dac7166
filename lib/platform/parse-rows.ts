import { z } from "zod";
import { protocolOfAgentCard } from "./agent-card";
import { isValidWorkspaceId } from "./ids";
import { toWorkspaceStatus, type Workspace } from "./workspace";

/** Why a row from `GET /workspaces` was not shown. */
export interface RowWarning {
  index: number;
  id?: string;
  message: string;
}

export interface ParsedRows {
  workspaces: Workspace[];
  warnings: RowWarning[];
}

const finite = z.number().refine(Number.isFinite, "must be a finite number");

// Fields the canvas cannot work without: a row missing one is dropped.
const requiredFields = z.object({
  id: z.string().refine(isValidWorkspaceId, "is not a valid workspace id"),
  name: z.string(),
  status: z.string(),
  active_tasks: finite.int("must be a whole number").nonnegative("must not be negative"),
});

// Fields with a safe default: a wrong type falls back instead of losing the row.
const optionalFields = {
  role: z.string().catch(""),
  tier: finite.catch(1),
  current_task: z.string().catch(""),
  parent_id: z.string().refine(isValidWorkspaceId).nullable().catch(null),
  runtime: z.string().catch(""),
  x: finite.catch(Number.NaN),
  y: finite.catch(Number.NaN),
  collapsed: z.boolean().catch(false),
};

const rowSchema = requiredFields.extend(optionalFields).extend({ agent_card: z.unknown().optional() });

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "row"} ${issue.message}`).join("; ");
}

/**
 * Parses the body of `GET /workspaces` into typed workspaces. Bad rows are
 * dropped with a warning that says why; a body that is not an array throws,
 * because then nothing can be trusted.
 */
export function parseWorkspaceRows(body: unknown): ParsedRows {
  if (!Array.isArray(body)) throw new Error("GET /workspaces did not return a JSON array");
  const workspaces: Workspace[] = [];
  const warnings: RowWarning[] = [];
  const seen = new Set<string>();
  body.forEach((raw, index) => {
    const rawId = (raw as Record<string, unknown> | null)?.id;
    const id = typeof rawId === "string" ? rawId : undefined;
    const parsed = rowSchema.safeParse(raw);
    if (!parsed.success) {
      warnings.push({ index, id, message: `row ${index}${id ? ` (${id})` : ""} dropped: ${describeIssues(parsed.error)}` });
      return;
    }
    const row = parsed.data;
    if (seen.has(row.id)) {
      warnings.push({ index, id: row.id, message: `row ${index} (${row.id}) dropped: duplicate id` });
      return;
    }
    seen.add(row.id);
    workspaces.push({
      id: row.id,
      name: row.name,
      role: row.role,
      tier: row.tier,
      status: toWorkspaceStatus(row.status),
      rawStatus: row.status,
      activeTasks: row.active_tasks,
      currentTask: row.current_task,
      protocol: protocolOfAgentCard(row.agent_card),
      parentId: row.parent_id === row.id ? null : row.parent_id,
      runtime: row.runtime,
      x: row.x,
      y: row.y,
      collapsed: row.collapsed,
    });
  });
  return { workspaces, warnings };
}
