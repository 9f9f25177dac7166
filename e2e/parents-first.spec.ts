import type { RequestLogEntry } from "@/lib/mock/control";
import { expect, test } from "./fixtures";

// Parents first (issue 12, item 5), on the teams-hold scenario: build-lead and
// docs-lead are busy and answer 300 ms late, so their members' listings come
// back first; idle-lead's members have no busy lead above them.
const firstAt = (entries: RequestLogEntry[], id: string, rpc: string) => entries.find((e) => e.workspaceId === `ws-${id}` && e.rpcMethod === rpc)?.at;

test("a busy lead's cancel reaches the platform before its members' (through an idle sub-lead), listings are not held back, other teams do not wait", async ({ mock, stopAll }) => {
  await mock.open("teams-hold", { pause: true });
  await expect(stopAll.button()).toHaveText("Stop All (9)");
  const clickedAt = await stopAll.start();
  await mock.advance(1500);
  const log = await mock.requests({ kind: "a2a" });
  const lead = firstAt(log, "build-lead", "CancelTask")!;
  expect(lead - clickedAt).toBeGreaterThanOrEqual(300);
  for (const id of ["compiler", "tester", "provisioner"]) {
    expect(firstAt(log, id, "ListTasks")! - clickedAt).toBeLessThan(200);
    expect(firstAt(log, id, "CancelTask")).toBeGreaterThanOrEqual(lead);
  }
  const docs = firstAt(log, "docs-lead", "CancelTask")!;
  for (const id of ["writer", "translator"]) expect(firstAt(log, id, "CancelTask")).toBeGreaterThanOrEqual(docs);
  // No busy lead above them: their cancels follow their own listings at once.
  for (const id of ["analyst", "planner"]) expect(firstAt(log, id, "CancelTask")! - clickedAt).toBeLessThan(200);
  await mock.advance(2000);
  await expect(stopAll.summary()).toHaveText(/^Stopped 9 workspaces in [0-3]\.\d s: 9 drained$/);
});
