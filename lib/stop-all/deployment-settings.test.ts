import { afterEach, describe, expect, it, vi } from "vitest";
import { deadlineFromBuild } from "./deployment-settings";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("deadlineFromBuild", () => {
  it("reads the inlined value with the same rules as the build", () => {
    expect(deadlineFromBuild("1500")).toBe(1500);
    expect(deadlineFromBuild("600000")).toBe(600_000);
  });

  it("falls back to 8000 when the value is missing or unreadable, instead of breaking the page", () => {
    expect(deadlineFromBuild(undefined)).toBe(8000);
    expect(deadlineFromBuild("")).toBe(8000);
    expect(deadlineFromBuild("abc")).toBe(8000);
  });
});

describe("the deployment's Stop All options", () => {
  it("take the deadline next.config.mjs inlined", async () => {
    vi.stubEnv("NEXT_PUBLIC_STOP_ALL_DEADLINE_MS", "30000");
    const settings = await import("./deployment-settings");
    expect(settings.stopAllDeadlineMs).toBe(30_000);
    expect(settings.DEPLOYMENT_STOP_ALL_OPTIONS).toEqual({ deadlineMs: 30_000, quietMs: 60_000 });
  });

  it("are the 8 s default in a bundle built without it", async () => {
    vi.stubEnv("NEXT_PUBLIC_STOP_ALL_DEADLINE_MS", undefined);
    const settings = await import("./deployment-settings");
    expect(settings.DEPLOYMENT_STOP_ALL_OPTIONS).toEqual({ deadlineMs: 8000, quietMs: 60_000 });
  });
});
