import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_STOP_ALL_DEADLINE_MS, DEFAULT_STOP_ALL_QUIET_MS, readStopAllDeadlineMs, readStopAllQuietMs, StopAllSettingError } from "./deadline-setting.mjs";
import { DEFAULT_STOP_ALL_OPTIONS } from "./options";

const read = (value: string | undefined) => readStopAllDeadlineMs({ STOP_ALL_DEADLINE_MS: value });
const RULE = "STOP_ALL_DEADLINE_MS must be a whole number of milliseconds from 1000 (1 s) to 600000 (10 min)";

function messageOf(value: string): string {
  try {
    read(value);
  } catch (error) {
    expect(error).toBeInstanceOf(StopAllSettingError);
    return (error as Error).message;
  }
  throw new Error(`${JSON.stringify(value)} was accepted`);
}

describe("readStopAllDeadlineMs", () => {
  it("is 8000 when unset or empty, the same default the options have", () => {
    expect(readStopAllDeadlineMs({})).toBe(8000);
    expect(read("")).toBe(8000);
    expect(read("  \n")).toBe(8000);
    expect(DEFAULT_STOP_ALL_DEADLINE_MS).toBe(DEFAULT_STOP_ALL_OPTIONS.deadlineMs);
  });

  it("takes a whole number of milliseconds, bounds included", () => {
    expect(read("1000")).toBe(1000);
    expect(read("600000")).toBe(600_000);
    expect(read(" 15000 ")).toBe(15_000);
    expect(read("1500")).toBe(1500);
  });

  it.each(["999", "600001", "0", "-8000", "abc", "8000.5", "8e3", "0x1f40", "8_000", "+8000", "1,500", "Infinity", "NaN", "99999999999999999999"])(
    "refuses %j, saying what it must be and what it got",
    (value) => {
      expect(messageOf(value).startsWith(`${RULE}, got ${JSON.stringify(value)}`)).toBe(true);
    },
  );

  it("quotes the value as it was meant, without surrounding spaces", () => {
    expect(messageOf("  abc\n")).toBe(`${RULE}, got "abc"`);
  });

  it("gives the example message for a word", () => {
    expect(messageOf("abc")).toBe(`${RULE}, got "abc"`);
  });

  it("suggests the milliseconds when the value was written in seconds or with a unit", () => {
    expect(messageOf("8")).toBe(`${RULE}, got "8"; the value is in milliseconds: did you mean 8000 (8 s)?`);
    expect(messageOf("8s")).toContain("did you mean 8000 (8 s)?");
    expect(messageOf("1.5 s")).toContain("did you mean 1500 (1.5 s)?");
    expect(messageOf("8000ms")).toContain("write it without a unit: 8000");
    // No suggestion that would itself be out of range.
    expect(messageOf("0.5")).toBe(`${RULE}, got "0.5"`);
    expect(messageOf("700000")).toBe(`${RULE}, got "700000"`);
  });

  it("shortens a very long value in the message", () => {
    const message = messageOf("x".repeat(5000));
    expect(message.length).toBeLessThan(RULE.length + 200);
    expect(message).toContain("…");
  });
});

describe("next.config.mjs", () => {
  type NextConfigFn = (phase: string) => { env?: Record<string, string> };
  // A variable path: the config is plain ESM without types, loaded as `next build` loads it.
  const CONFIG_PATH = "../../next.config.mjs";
  const loadConfig = async (): Promise<NextConfigFn> => (await import(/* @vite-ignore */ CONFIG_PATH)).default;

  beforeEach(() => {
    // A mock build, whatever the shell running the tests has set.
    vi.stubEnv("PLATFORM_URL", "");
    vi.stubEnv("PLATFORM_TOKEN", "");
  });
  afterEach(() => vi.unstubAllEnvs());

  it("inlines the validated deadline for the browser", async () => {
    const nextConfig = await loadConfig();
    vi.stubEnv("STOP_ALL_DEADLINE_MS", " 20000 ");
    expect(nextConfig("phase-production-build").env?.NEXT_PUBLIC_STOP_ALL_DEADLINE_MS).toBe("20000");
    vi.stubEnv("STOP_ALL_DEADLINE_MS", "");
    expect(nextConfig("phase-production-build").env?.NEXT_PUBLIC_STOP_ALL_DEADLINE_MS).toBe("8000");
  });

  it("stops the build and the server with the readable message", async () => {
    const nextConfig = await loadConfig();
    vi.stubEnv("STOP_ALL_DEADLINE_MS", "abc");
    for (const phase of ["phase-production-build", "phase-production-server", "phase-development-server"]) {
      expect(() => nextConfig(phase)).toThrow(`Invalid Stop All configuration: ${RULE}, got "abc"`);
    }
  });
});

describe("readStopAllQuietMs", () => {
  const quiet = (value: string | undefined) => readStopAllQuietMs({ STOP_ALL_QUIET_MS: value });
  it("is 60000 when unset or empty; 0 turns the watch off; an hour at most", () => {
    expect([quiet(undefined), quiet(""), quiet("  ")]).toEqual([DEFAULT_STOP_ALL_QUIET_MS, 60_000, 60_000]);
    expect([quiet("0"), quiet("1500"), quiet("3600000")]).toEqual([0, 1500, 3_600_000]);
  });

  it("refuses anything else with a message that says what to fix", () => {
    for (const bad of ["-1", "3600001", "1.5", "soon", "60 s"]) expect(() => quiet(bad)).toThrow(StopAllSettingError);
    expect(() => quiet("60 s")).toThrow('STOP_ALL_QUIET_MS must be a whole number of milliseconds from 0 (off) to 3600000 (1 h), got "60 s"; the value is in milliseconds: did you mean 60000 (60 s)?');
  });
});
