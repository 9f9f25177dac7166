import { describe, expect, it } from "vitest";
import type { ListOpenTasksResult } from "../a2a/list-open-tasks";
import { buildFinding, notSentFinding } from "./finding";

describe("buildFinding", () => {
  it("says no task id when the listing worked but found nothing to cancel", () => {
    expect(buildFinding("list-tasks", { kind: "listed", taskIds: [], pages: 1, complete: true }, []).headline).toEqual({ kind: "no-task-id" });
    expect(buildFinding("none", { kind: "not-supported", code: -32601 }, []).headline).toEqual({ kind: "no-task-id" });
  });

  it("names the platform's answer when the listing itself did not get through", () => {
    expect(buildFinding("none", { kind: "queued-poll" }, []).headline).toEqual({ kind: "queued-poll" });
    expect(buildFinding("none", { kind: "unreachable", status: 502 }, []).headline).toEqual({ kind: "unreachable", status: 502 });
  });

  it("counts delivered cancels", () => {
    const delivered = { kind: "delivered", taskState: "canceled", method: "CancelTask", version: "1.0" } as const;
    const headline = buildFinding("list-tasks", { kind: "listed", taskIds: ["a", "b"], pages: 1, complete: true }, [
      { taskId: "a", result: delivered, answeredAt: 1 },
      { taskId: "b", result: { kind: "timeout" }, answeredAt: 2 },
    ]).headline;
    expect(headline).toEqual({ kind: "delivered", tasks: 1, of: 2 });
  });
});

describe("notSentFinding", () => {
  it("keeps what the listing found and says that no cancel was sent", () => {
    const listing: ListOpenTasksResult = { kind: "listed", taskIds: ["a", "b"], pages: 1, complete: true };
    expect(notSentFinding("list-tasks", listing)).toEqual({ idSource: "list-tasks", listing, cancels: [], headline: { kind: "not-sent" } });
  });
});
