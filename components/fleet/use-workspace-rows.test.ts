import { describe, expect, it } from "vitest";
import { rowsRefreshMs } from "./use-workspace-rows";

describe("how often the page re-reads the rows", () => {
  it("fast only while a Stop All runs in the page; the server's own operation watches its drain in the server's view", () => {
    expect(rowsRefreshMs({ live: true, operationRunning: true, operationInPage: true })).toBe(1000);
    expect(rowsRefreshMs({ live: false, operationRunning: true, operationInPage: true })).toBe(1000);
    expect(rowsRefreshMs({ live: true, operationRunning: true, operationInPage: false })).toBe(30_000);
    expect(rowsRefreshMs({ live: false, operationRunning: true, operationInPage: false })).toBe(3000);
    expect(rowsRefreshMs({ live: true, operationRunning: false, operationInPage: true })).toBe(30_000);
  });
});
