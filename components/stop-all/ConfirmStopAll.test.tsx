import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

/** The confirmation's description, for a build whose STOP_ALL_DEADLINE_MS was inlined as `inlined`. */
async function descriptionFor(inlined: string | undefined): Promise<string> {
  vi.stubEnv("NEXT_PUBLIC_STOP_ALL_DEADLINE_MS", inlined);
  const { ConfirmStopAll } = await import("./ConfirmStopAll");
  const html = renderToStaticMarkup(<ConfirmStopAll open busy={3} modal={false} onConfirm={() => {}} onClose={() => {}} />);
  const fieldset = /<fieldset id="stop-all-description"[^>]*>(.*?)<\/fieldset>/s.exec(html)?.[1] ?? "";
  return fieldset.replace(/<!-- -->/g, "").replace(/<[^>]+>/g, "");
}

describe("ConfirmStopAll", () => {
  it("names the deployment's deadline, not a constant", async () => {
    const short = await descriptionFor("1500");
    expect(short).toContain("Stop: those still busy after 1.5 s are restarted");
    expect(short).toContain("Stop and hold: each is paused once it has drained, and those still busy after 1.5 s are paused instead of restarted");
    vi.resetModules();
    expect(await descriptionFor("120000")).toContain("those still busy after 2 min are restarted");
  });

  it("says what a scoped stop covers, and nothing for the whole fleet", async () => {
    const { ConfirmStopAll } = await import("./ConfirmStopAll");
    const scoped = renderToStaticMarkup(<ConfirmStopAll open busy={1} modal={false} scopeLine="Only team ops: ops and the 2 workspaces below it." onConfirm={() => {}} onClose={() => {}} />);
    expect(scoped).toContain("Stop 1 busy workspace?");
    expect(scoped).toContain('data-testid="stop-all-scope">Only team ops: ops and the 2 workspaces below it.</p>');
    const all = renderToStaticMarkup(<ConfirmStopAll open busy={3} modal={false} onConfirm={() => {}} onClose={() => {}} />);
    expect(all).not.toContain("stop-all-scope");
  });

  it("says 8 s when the build set none", async () => {
    expect(await descriptionFor(undefined)).toContain("those still busy after 8 s are restarted");
  });

  it("follows a mode its caller keeps: the cascade shows for a hold, not for a stop", async () => {
    const { ConfirmStopAll } = await import("./ConfirmStopAll");
    const cascade = { count: 2, names: "notes, docs" };
    const render = (mode: "stop" | "hold") =>
      renderToStaticMarkup(<ConfirmStopAll open busy={1} modal={false} mode={mode} onModeChange={() => {}} cascade={cascade} onConfirm={() => {}} onClose={() => {}} />);
    const hold = render("hold");
    expect(hold).toContain("stop-all-cascade");
    expect(hold).toContain("notes, docs");
    expect(hold).toMatch(/Stop and hold(<!-- -->)? (<!-- -->)?1 busy workspace<\/button>/);
    const stop = render("stop");
    expect(stop).not.toContain("stop-all-cascade");
    expect(stop).toMatch(/>Stop(<!-- -->)? (<!-- -->)?1 busy workspace<\/button>/);
  });
});
