import { describe, expect, it } from "vitest";
import { LEGACY_OPERATION_KEY, operationKey } from "./operation-store";
import { LEGACY_RUN_LOCK, runLockName, tabLockName } from "./session-locks";
import { browserTabs, DEFAULT_FLEET } from "./testing/browser-tabs";
import { workspace } from "../fleet/testing/workspaces";
import { targetOf } from "./targets";

const DEADLINE = 8000;
const FLEET = DEFAULT_FLEET;
const OPERATION_KEY = operationKey(FLEET);
const targets = [workspace("drains"), workspace("stuck")];

const browser = (options: { webLocks?: boolean } = {}) => browserTabs(targets, options);

describe("one Stop All per browser", () => {
  it("a second tab sees the operation read-only and cannot start another", async () => {
    const b = browser();
    const first = await b.openTab();
    const second = await b.openTab();
    expect(await first.session.start(targets)).toMatchObject({ kind: "started" });
    await b.advance(300);
    expect(second.session.role()).toBe("observer");
    expect(second.session.current()?.getState().order).toEqual(["drains", "stuck"]);
    expect(await second.session.start(targets)).toEqual({ kind: "running-elsewhere" });
    second.session.current()?.restartNow();
    await b.advance(100);
    expect(second.platform.requests).toEqual([]);
    expect(first.platform.of("restart")).toEqual([]);
  });

  it("a second click in the same tab starts nothing new", async () => {
    const b = browser();
    const tab = await b.openTab();
    const [one, two] = await Promise.all([tab.session.start(targets), tab.session.start(targets)]);
    expect([one.kind, two.kind].filter((kind) => kind === "started")).toHaveLength(1);
    expect(tab.platform.of("a2a").filter((r) => r.method === "ListTasks")).toHaveLength(2);
  });

  it("when the running tab closes, another tab resumes with the original deadline and restarts once", async () => {
    const b = browser();
    const first = await b.openTab();
    const second = await b.openTab();
    await first.session.start(targets);
    await b.advance(1000);
    first.session.dispose(); // the tab is closed: its lock goes, its timers stop
    await b.advance(10);
    expect(second.session.role()).toBe("owner");
    b.fleet.set("drains", { activeTasks: 0 });
    await b.advance(DEADLINE - 1010 - 1);
    expect(second.platform.of("restart")).toEqual([]);
    await b.advance(1);
    expect(second.platform.of("restart").map((r) => r.workspaceId)).toEqual(["stuck"]);
    expect(second.platform.of("a2a")).toEqual([]);
    await b.advance(20_000);
    expect([...first.platform.of("restart"), ...second.platform.of("restart")]).toHaveLength(1);
  });

  it("when the running tab closes with two others open, exactly one of them takes over and restarts once", async () => {
    const b = browser();
    const first = await b.openTab();
    const others = [await b.openTab(), await b.openTab()];
    await first.session.start(targets);
    await b.advance(1000);
    first.session.dispose();
    await b.advance(10);
    expect(others.map((tab) => tab.session.role()).sort()).toEqual(["observer", "owner"]);
    b.fleet.set("drains", { activeTasks: 0 });
    await b.advance(DEADLINE + 20_000);
    expect(others.flatMap((tab) => tab.platform.of("restart")).map((r) => r.workspaceId)).toEqual(["stuck"]);
    expect(others.map((tab) => tab.session.current()?.getState().phase)).toEqual(["finished", "finished"]);
  });

  // A browser gives no order between another tab's write reaching this tab's
  // storage and a lock granted to this tab: the owner's last snapshot can
  // arrive after the run lock it let go of.
  describe("when this tab's copy of storage lags the owner's last writes", () => {
    async function finishedWhileLagging() {
      const b = browser();
      const first = await b.openTab();
      const second = await b.openTab();
      await first.session.start(targets);
      b.fleet.set("drains", { activeTasks: 0 });
      await b.advance(DEADLINE - 500);
      b.storage.lag();
      await b.advance(1000); // the restart goes out and is answered: the operation finishes, the run lock is free
      expect(first.session.current()?.getState().phase).toBe("finished");
      expect(b.locks!.isHeld(runLockName(FLEET))).toBe(false);
      return { b, first, second };
    }

    it("a tab waiting to take over does not resume the operation its live owner finished", async () => {
      const { b, first, second } = await finishedWhileLagging();
      expect(second.session.role()).toBe("observer");
      expect(second.session.current()?.getState().phase).not.toBe("finished");
      b.storage.catchUp();
      await b.advance(20_000);
      expect(second.session.current()?.getState().phase).toBe("finished");
      expect(targetOf(second.session.current()!.getState(), "stuck")?.phase).toMatchObject({ outcome: { kind: "restarted" } });
      expect(second.platform.requests).toEqual([]);
      expect(first.platform.of("restart")).toHaveLength(1);
    });

    it("a tab opened in that moment shows it read-only instead of resuming it", async () => {
      const { b, first } = await finishedWhileLagging();
      const opened = await b.openTab();
      expect(opened.session.role()).toBe("observer");
      await b.advance(20_000);
      expect(opened.platform.requests).toEqual([]);
      b.storage.catchUp();
      await b.advance(10);
      expect(opened.session.current()?.getState().phase).toBe("finished");
      expect(first.platform.of("restart")).toHaveLength(1);
    });

    it("Stop All clicked in that moment starts nothing and resumes nothing; once the copy catches up it starts", async () => {
      const { b, second } = await finishedWhileLagging();
      expect(await second.session.start(targets)).toEqual({ kind: "running-elsewhere" });
      await b.advance(20_000);
      expect(second.platform.requests).toEqual([]);
      b.storage.catchUp();
      await b.advance(10);
      expect(await second.session.start(targets)).toMatchObject({ kind: "started" });
    });
  });

  it("an operation saved before owners were recorded is resumed by the next page, as before", async () => {
    const b = browser();
    const first = await b.openTab();
    first.platform.onRestart("stuck", () => ({ hang: true }));
    await first.session.start(targets);
    await b.advance(1000);
    first.session.dispose();
    const record = JSON.parse(b.storage.getItem(OPERATION_KEY)!) as { owner?: string };
    delete record.owner;
    b.storage.setItem(OPERATION_KEY, JSON.stringify(record));
    const reloaded = await b.openTab();
    expect(reloaded.session.role()).toBe("owner");
    expect(reloaded.session.current()?.getState().phase).not.toBe("finished");
  });

  it("a reloaded tab resumes its own operation; a restart already sent is not sent again", async () => {
    const b = browser();
    const first = await b.openTab();
    first.platform.onRestart("stuck", () => ({ hang: true }));
    await first.session.start(targets);
    b.fleet.set("drains", { activeTasks: 0 });
    await b.advance(DEADLINE + 50);
    expect(first.platform.of("restart")).toHaveLength(1);
    first.session.dispose(); // reload
    const reloaded = await b.openTab();
    expect(reloaded.session.role()).toBe("owner");
    const stuck = targetOf(reloaded.session.current()!.getState(), "stuck");
    expect(stuck?.phase).toMatchObject({ kind: "settled", outcome: { kind: "unknown", reason: "interrupted" } });
    await b.advance(30_000);
    expect(reloaded.platform.of("restart")).toEqual([]);
  });

  it("a restart marked sent counts even when the last full snapshot predates it", async () => {
    const b = browser();
    const first = await b.openTab();
    first.platform.onRestart("stuck", () => ({ hang: true }));
    await first.session.start(targets);
    await b.advance(DEADLINE - 100);
    const early = b.storage.getItem(OPERATION_KEY)!;
    await b.advance(150); // restarts go out: marked at once, snapshot a little later
    first.session.dispose();
    b.storage.setItem(OPERATION_KEY, early); // the crash lost the newer snapshot
    const reloaded = await b.openTab();
    const state = reloaded.session.current()?.getState();
    expect(state && targetOf(state, "stuck")?.phase).toMatchObject({ outcome: { kind: "unknown", reason: "interrupted" } });
    expect(state && targetOf(state, "drains")?.phase).toMatchObject({ outcome: { kind: "unknown", reason: "interrupted" } });
    await b.advance(30_000);
    expect(reloaded.platform.of("restart")).toEqual([]);
  });

  it("without Web Locks, a reloaded page still resumes its operation and a second start joins it", async () => {
    const b = browser({ webLocks: false });
    const first = await b.openTab();
    await first.session.start(targets);
    await b.advance(1000);
    first.session.dispose();
    const reloaded = await b.openTab();
    expect(reloaded.session.role()).toBe("owner");
    expect(reloaded.session.current()?.getState().phase).not.toBe("finished");
    expect(await reloaded.session.start(targets)).toMatchObject({ kind: "already-running" });
    b.fleet.set("drains", { activeTasks: 0 });
    await b.advance(DEADLINE + 20_000);
    expect(reloaded.platform.of("restart").map((r) => r.workspaceId)).toEqual(["stuck"]);
  });

  it("discards an unreadable saved operation with a notice", async () => {
    const b = browser();
    b.storage.setItem(OPERATION_KEY, "{not json");
    const tab = await b.openTab();
    expect(tab.session.notice()).toMatch(/could not be read/);
    expect(b.storage.getItem(OPERATION_KEY)).toBeNull();
    expect(await tab.session.start(targets)).toMatchObject({ kind: "started" });
  });
});

describe("a finished operation in storage", () => {
  it("is shown read-only to a page opened soon after, and not once it is old", async () => {
    const b = browser();
    const first = await b.openTab();
    await first.session.start(targets);
    b.fleet.set("drains", { activeTasks: 0 });
    b.fleet.set("stuck", { activeTasks: 0 });
    await b.advance(10);
    expect(first.session.current()?.getState().phase).toBe("finished");
    const soon = await b.openTab();
    expect(soon.session.role()).toBe("observer");
    expect(soon.session.current()?.getState().phase).toBe("finished");
    await b.advance(16 * 60_000);
    const later = await b.openTab();
    expect(later.session.current()).toBeUndefined();
  });
});

describe("after the operation finished", () => {
  it("a page that shows another tab's operation after its own finished never writes its own over it, not even when it closes", async () => {
    const b = browser();
    const first = await b.openTab();
    const second = await b.openTab();
    await first.session.start(targets);
    b.fleet.set("drains", { activeTasks: 0 });
    b.fleet.set("stuck", { activeTasks: 0 });
    await b.advance(10);
    expect(first.session.current()?.getState().phase).toBe("finished");
    b.fleet.set("drains", { activeTasks: 1 });
    b.fleet.set("stuck", { activeTasks: 1 });
    expect(await second.session.start(targets)).toMatchObject({ kind: "started" });
    await b.advance(300);
    expect(first.session.role()).toBe("observer");
    first.session.dispose();
    await b.advance(10);
    const stored = JSON.parse(b.storage.getItem(OPERATION_KEY)!) as { owner: string; state: { phase: string } };
    expect(stored.owner).toBe("tab-2");
    expect(stored.state.phase).not.toBe("finished");
  });


  it("a retry of a failed restart still reaches the page and storage", async () => {
    const b = browser();
    const tab = await b.openTab();
    tab.platform.onRestart("stuck", () => ({ status: 500, json: { error: "no provisioner" } }));
    await tab.session.start([workspace("stuck")]);
    await b.advance(DEADLINE + 100);
    expect(tab.session.current()?.getState().phase).toBe("finished");
    let notified = 0;
    tab.session.subscribe(() => notified++);
    tab.platform.onRestart("stuck", () => ({ status: 200, json: { status: "provisioning" } }));
    tab.session.current()?.retryRestart("stuck");
    await b.advance(300);
    expect(notified).toBeGreaterThan(0);
    expect(targetOf(tab.session.current()!.getState(), "stuck")?.phase).toEqual({ kind: "settled", outcome: { kind: "restarted", trigger: "retry" } });
    expect(b.storage.getItem(OPERATION_KEY)).toContain('"trigger":"retry"');
  });
});

describe("an operation saved by an older build (one per browser, no fleet)", () => {
  /** A running operation as an older build left it: under the unscoped key, its owner the tab `owner`. */
  async function legacyRecord(b: ReturnType<typeof browser>, owner: string) {
    const first = await b.openTab();
    await first.session.start(targets);
    await b.advance(1000);
    first.session.dispose();
    const record = JSON.parse(b.storage.getItem(OPERATION_KEY)!) as { owner?: string };
    b.storage.removeItem(OPERATION_KEY);
    b.storage.setItem(LEGACY_OPERATION_KEY, JSON.stringify({ ...record, owner }));
  }

  it("is resumed by the fleet it belonged to once its owner is gone, holding the older build's run lock too; other fleets ignore it", async () => {
    const b = browser();
    await legacyRecord(b, "old-tab");
    const onDefault = await b.openTab();
    expect(onDefault.session.current()).toBeUndefined();
    const live = await b.openTab({ fleet: "live", legacy: true });
    expect(live.session.role()).toBe("owner");
    expect(b.locks!.isHeld(LEGACY_RUN_LOCK)).toBe(true);
    expect(b.locks!.isHeld(runLockName("live"))).toBe(true);
    b.fleetNamed("live").set("drains", { activeTasks: 0 });
    await b.advance(DEADLINE + 20_000);
    expect(live.platform.of("restart").map((r) => r.workspaceId)).toEqual(["stuck"]);
    expect(b.locks!.isHeld(LEGACY_RUN_LOCK)).toBe(false);
  });

  it("while an older build's tab still runs it, the fleet's page shows it read-only and starts nothing", async () => {
    const b = browser();
    await legacyRecord(b, "old-tab");
    const hold = () => new Promise<never>(() => {});
    void b.locks!.request(tabLockName("old-tab"), {}, hold);
    void b.locks!.request(LEGACY_RUN_LOCK, {}, hold);
    const live = await b.openTab({ fleet: "live", legacy: true });
    expect(live.session.role()).toBe("observer");
    expect(await live.session.start(targets)).toEqual({ kind: "running-elsewhere" });
    await b.advance(DEADLINE + 20_000);
    expect(live.platform.requests).toEqual([]);
  });
});
