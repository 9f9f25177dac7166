import { describe, expect, it } from "vitest";
import { phase1EndFor } from "./phase1-runs";
import type { TargetOutcome } from "./types";

const settled = (outcome: TargetOutcome) => ({ kind: "settled", outcome }) as const;

describe("phase1EndFor", () => {
  it("drained or kept: close (nothing new, answers still read); gone, platform-restarting, restarting: abandon", () => {
    expect(phase1EndFor(settled({ kind: "drained" }))).toBe("close");
    expect(phase1EndFor(settled({ kind: "kept" }))).toBe("close");
    expect(phase1EndFor(settled({ kind: "gone", seenIn: "store" }))).toBe("abandon");
    expect(phase1EndFor(settled({ kind: "platform-restarting", seenIn: "a2a-answer" }))).toBe("abandon");
    expect(phase1EndFor({ kind: "restarting", trigger: "deadline" })).toBe("abandon");
    expect(phase1EndFor({ kind: "restarting", trigger: "operator" })).toBe("abandon");
  });
});
