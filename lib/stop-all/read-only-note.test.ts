import { describe, expect, it } from "vitest";
import { workspace } from "../fleet/testing/workspaces";
import { readOnlyNote } from "./read-only-note";
import { browserTabs } from "./testing/browser-tabs";

const targets = [workspace("drains"), workspace("stuck")];

describe("the note above an operation shown read-only", () => {
  it("after a reload, the page's own finished operation is not said to come from another tab", async () => {
    const b = browserTabs(targets);
    const tab = await b.openTab();
    await tab.session.start(targets);
    b.fleet.set("drains", { activeTasks: 0 });
    b.fleet.set("stuck", { activeTasks: 0 });
    await b.advance(10);
    tab.session.dispose(); // reload: the page that ran it is gone
    const reloaded = await b.openTab();
    expect(reloaded.session.role()).toBe("observer");
    const note = readOnlyNote(reloaded.session.current()!.getState().phase);
    expect(note).not.toMatch(/^Started in another tab/);
    expect(note).toMatch(/another tab or on this page before it was reloaded/);
  });

  it("an operation running in another open tab is said to run there", async () => {
    const b = browserTabs(targets);
    const first = await b.openTab();
    const second = await b.openTab();
    await first.session.start(targets);
    await b.advance(300);
    expect(second.session.role()).toBe("observer");
    expect(readOnlyNote(second.session.current()!.getState().phase)).toBe("Running in another tab of this browser: shown read-only here.");
  });
});
