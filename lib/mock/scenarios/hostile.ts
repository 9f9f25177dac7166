import type { Scenario } from "../sim/scenario";
import { busyWith, lead } from "./building-blocks";
import { layoutTeams } from "./layout";

const validBase = { role: "", tier: 1, current_task: "", agent_card: null, parent_id: null, runtime: "external", url: "", x: 0, y: 0, collapsed: false };

/**
 * Rows the canvas must drop with a warning (or keep with safe defaults),
 * never crash on. Appended verbatim to `GET /workspaces`; none of them is
 * simulated, so a request to one gets 404.
 */
const malformedRows: unknown[] = [
  null,
  "not a row",
  42,
  [],
  { ...validBase, id: "../../admin", name: "path traversal id", status: "online", active_tasks: 1 },
  { ...validBase, id: "ws has spaces", name: "id with spaces", status: "online", active_tasks: 0 },
  { ...validBase, id: "a".repeat(200), name: "id too long", status: "online", active_tasks: 0 },
  { ...validBase, name: "row without id", status: "online", active_tasks: 0 },
  { ...validBase, id: "ws-no-name", status: "online", active_tasks: 0 },
  { ...validBase, id: "ws-active-tasks-string", name: "active_tasks is a string", status: "online", active_tasks: "3" },
  { ...validBase, id: "ws-active-tasks-negative", name: "active_tasks is negative", status: "online", active_tasks: -1 },
  { ...validBase, id: "ws-active-tasks-fraction", name: "active_tasks is 1.5", status: "online", active_tasks: 1.5 },
  { ...validBase, id: "ws-hostile-img", name: "duplicate id", status: "online", active_tasks: 0 },
  // Kept, with defaults: only optional fields are wrong.
  {
    id: "ws-mistyped-optional",
    name: "mistyped-optional-fields",
    status: "online",
    active_tasks: 0,
    tier: "high",
    x: "left",
    y: null,
    collapsed: "yes",
    parent_id: 7,
    agent_card: "not a card",
    role: 5,
    current_task: {},
  },
  { ...validBase, id: "ws-self-parent", name: "self-parent", parent_id: "ws-self-parent", status: "online", active_tasks: 0, x: 0, y: 900 },
  { ...validBase, id: "ws-unknown-status", name: "status-exploding", status: "exploding", active_tasks: 2, x: 250, y: 900 },
  { ...validBase, id: "ws-billion-tasks", name: "billion-tasks-paused", status: "paused", active_tasks: 1_000_000_000, x: 500, y: 900 },
  { ...validBase, id: "ws-future-card", name: "card-version-2", status: "online", active_tasks: 0, agent_card: { protocolVersion: "2.0.0" }, x: 750, y: 900 },
  // An own `__proto__` key (as JSON.parse makes it): must not pollute anything.
  JSON.parse('{"id":"ws-proto-key","name":"proto-key","status":"online","active_tasks":0,"agent_card":null,"x":1000,"y":900,"__proto__":{"polluted":true}}'),
];

/** Untrusted text everywhere a string can go, and rows that must be dropped. */
export const hostileScenario: Scenario = {
  name: "hostile",
  description: "Names and tasks with HTML/script payloads, a hostile task id, and malformed rows appended verbatim.",
  workspaces: layoutTeams([
    {
      lead: lead("ws-hostile-lead", "<b>bold lead</b>", "<i>team lead</i>"),
      members: [
        {
          id: "ws-hostile-img",
          name: "<img src=x onerror=alert(1)>",
          role: "<svg onload=alert('role')>",
          tasks: [{ description: `"><script>alert('task')</script>`, id: `"><img src=x onerror=alert('task-id')>` }],
        },
        { id: "ws-hostile-script", name: `"><script>alert(document.cookie)</script>`, role: "javascript:alert(1)" },
        { id: "ws-hostile-template", name: "{{constructor.constructor('alert(1)')()}} ${alert(1)}", role: "template injection" },
        { id: "ws-hostile-bidi", name: "admin\u202Egnp.exe\u200B\u200D", role: "bidi override and zero-width characters" },
        {
          id: "ws-hostile-huge-text",
          name: "W".repeat(300),
          role: "very long name and task",
          tasks: busyWith("A task description that never ends. ".repeat(300)),
        },
      ],
    },
  ]),
  extraRows: malformedRows,
};
