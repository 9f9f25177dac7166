import { describe, expect, it } from "vitest";
import { formatDeadline, formatRemaining } from "./options";

describe("formatDeadline", () => {
  it.each([
    [8000, "8 s"],
    [1000, "1 s"],
    [1500, "1.5 s"],
    [1250, "1.25 s"],
    [1001, "1.001 s"],
    [59_999, "59.999 s"],
    [60_000, "1 min"],
    [90_000, "1 min 30 s"],
    [120_000, "2 min"],
    [125_500, "2 min 5.5 s"],
    [600_000, "10 min"],
  ])("says %i ms as %j", (ms, text) => {
    expect(formatDeadline(ms)).toBe(text);
  });
});

describe("formatRemaining", () => {
  it.each([
    [0, "0.0 s"],
    [-50, "0.0 s"],
    [5321, "5.3 s"],
    [8000, "8.0 s"],
    [59_940, "59.9 s"],
    [59_960, "1 min 00.0 s"],
    [65_300, "1 min 05.3 s"],
    [600_000, "10 min 00.0 s"],
  ])("shows %i ms left as %j", (ms, text) => {
    expect(formatRemaining(ms)).toBe(text);
  });
});
