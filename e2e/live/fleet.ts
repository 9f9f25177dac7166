import type { WorkspaceSpec } from "./workspace";

/**
 * The default live fleet: ids say what each workspace does, so a Stop All
 * spec can read like its scenario.
 */
export const DEFAULT_FLEET: WorkspaceSpec[] = [
  { id: "busy-v1", name: "Builder (A2A 1.0)", role: "builds", version: "1.0", status: "online", tasks: ["refactor the billing module", "write migration tests"], x: 0, y: 0 },
  { id: "busy-v03", name: "Reviewer (A2A 0.3)", role: "reviews", version: "0.3", status: "online", tasks: ["review pull request 42"], x: 320, y: 0 },
  { id: "idle-v1", name: "Planner (A2A 1.0)", role: "plans", version: "1.0", status: "online", tasks: [], x: 0, y: 220 },
  { id: "hibernated-v1", name: "Archivist (hibernated)", role: "archives", version: "1.0", status: "hibernated", tasks: [], x: 320, y: 220 },
];
