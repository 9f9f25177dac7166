import { describe, expect, it } from "vitest";
import { workspace } from "../fleet/testing/workspaces";
import { reply } from "../platform/testing/fake-platform";
import type { RestartClaim } from "./restart-request";
import { targetOf } from "./targets";
import { stopAllHarness } from "./testing/harness";

/** A Stop All whose restarts must be claimed first (the canvas server's journal), with the claims it asked for. */
function claiming(answer: (workspaceId: string, attempt: number) => RestartClaim) {
  const asked: [string, number][] = [];
  const h = stopAllHarness(
    [workspace("stuck")],
    { deadlineMs: 1000 },
    {
      claimRestart: async (workspaceId, attempt) => {
        asked.push([workspaceId, attempt]);
        return answer(workspaceId, attempt);
      },
    },
  );
  return { h, asked };
}

describe("restarts claimed before they leave", () => {
  it("a claimed restart is sent once, after the claim; a retry claims the next attempt", async () => {
    const { h, asked } = claiming(() => ({ kind: "claimed" }));
    h.platform.onRestart("stuck", reply.http(503, { error: "provisioner not available" }));
    await h.start();
    await h.advance(1000);
    expect(asked).toEqual([["stuck", 1]]);
    expect(h.platform.of("restart")).toHaveLength(1);
    h.platform.onRestart("stuck", reply.http(200, { status: "provisioning" }));
    h.op().retryRestart("stuck");
    await h.advance(10);
    expect(asked).toEqual([["stuck", 1], ["stuck", 2]]);
    expect(targetOf(h.state(), "stuck")?.phase).toEqual({ kind: "settled", outcome: { kind: "restarted", trigger: "retry" } });
  });

  it("claimed by another replica: not sent, and reported unknown (it may have been sent)", async () => {
    const { h } = claiming(() => ({ kind: "claimed-elsewhere" }));
    await h.start();
    await h.advance(1000);
    expect(h.platform.of("restart")).toEqual([]);
    expect(targetOf(h.state(), "stuck")?.phase).toMatchObject({ kind: "settled", outcome: { kind: "unknown", reason: "interrupted" } });
    expect(targetOf(h.state(), "stuck")?.times.restartSentAt).toBeUndefined();
  });

  it("refused (lease lost, journal unreachable): not sent, a failed restart that says why and may be retried", async () => {
    const { h } = claiming(() => ({ kind: "refused", message: "the operation journal cannot be reached" }));
    await h.start();
    await h.advance(1000);
    expect(h.platform.of("restart")).toEqual([]);
    expect(targetOf(h.state(), "stuck")?.phase).toEqual({
      kind: "settled",
      outcome: { kind: "restart-failed", message: "the restart was not sent: the operation journal cannot be reached" },
    });
  });
});
