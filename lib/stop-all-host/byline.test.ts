import { describe, expect, it } from "vitest";
import { describeAge } from "./byline";

describe("describeAge", () => {
  it.each([
    [-5, "just now"],
    [999, "just now"],
    [3000, "3 s ago"],
    [59_999, "59 s ago"],
    [60_000, "1 min ago"],
    [3_599_000, "59 min ago"],
    [3_600_000, "1 h ago"],
    [3_900_000, "1 h 5 min ago"],
    [3 * 86_400_000, "3 days ago"],
  ])("%d ms → %s", (ms, text) => expect(describeAge(ms)).toBe(text));
});
