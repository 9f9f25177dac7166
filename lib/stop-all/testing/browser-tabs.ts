import type { FakeFleet } from "../../fleet/testing/fake-fleet";
import { fleetOf } from "../../fleet/testing/workspaces";
import type { Workspace } from "../../platform/workspace";
import { FakePlatform } from "../../platform/testing/fake-platform";
import { FakeClock, flushMicrotasks } from "../../time/fake-clock";
import { createOperationStore } from "../operation-store";
import { createStopAllSession } from "../session";
import { FakeLocks, FakeStorage } from "./fake-browser";

/** The fleet a tab shows unless told otherwise. */
export const DEFAULT_FLEET = "default";

/**
 * Tabs of one browser: shared storage and locks, one platform and clock
 * (what the tabs' requests reach). Each tab shows one fleet (`openTab`'s
 * `fleet`); every fleet's workspaces match `targets`, and `fleet` is the
 * default fleet's.
 */
export function browserTabs(targets: readonly Workspace[], options: { webLocks?: boolean } = {}) {
  const clock = new FakeClock();
  const storage = new FakeStorage();
  const locks = options.webLocks === false ? undefined : new FakeLocks();
  const fleets = new Map<string, FakeFleet>();
  const fleetNamed = (name: string) => {
    const existing = fleets.get(name);
    if (existing) return existing;
    const created = fleetOf(targets);
    fleets.set(name, created);
    return created;
  };
  let opened = 0;
  const openTab = async (tab: { fleet?: string; legacy?: boolean } = {}) => {
    const { fleet = DEFAULT_FLEET, legacy } = tab;
    const platform = new FakePlatform(clock);
    const storageOfTab = storage.tab({});
    const store = createOperationStore(storageOfTab, { fleet, legacy, owner: `tab-${++opened}` });
    const session = createStopAllSession({ client: platform, fleet: fleetNamed(fleet), clock, store, locks, subscribeToStorage: (l) => storageOfTab.listen(l) });
    await session.init();
    await flushMicrotasks(50);
    return { platform, session };
  };
  const advance = async (ms: number) => {
    await clock.advance(ms);
    await flushMicrotasks(50);
  };
  return { clock, storage, locks, fleet: fleetNamed(DEFAULT_FLEET), fleetNamed, openTab, advance };
}
