import type { StorageLike } from "../operation-store";
import type { LockManagerLike } from "../session-locks";

interface TabView {
  items: Map<string, string>;
  listener?: () => void;
}

/**
 * localStorage shared by the tabs of one fake browser. Used directly it is
 * the browser's own copy. `tab(...)` gives a tab its view: its writes land at
 * once, other tabs' writes reach it (with a `storage` event) a microtask
 * later, as in a browser. `lag()` holds writes in transit (to the browser's
 * copy, which a new tab starts from, and to the other tabs) until
 * `catchUp()`: a browser gives no order between a write reaching another
 * tab and a Web Lock granted to that tab.
 */
export class FakeStorage implements StorageLike {
  private readonly items = new Map<string, string>();
  private readonly views = new Map<object, TabView>();
  private held: (() => void)[] | undefined;

  get length() {
    return this.items.size;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.write(undefined, key, value);
  }
  removeItem(key: string) {
    this.write(undefined, key, null);
  }

  /** Tab `tab`'s storage and its `storage` events. */
  tab(tab: object): StorageLike & { listen(listener: () => void): () => void } {
    const view: TabView = { items: new Map(this.items) };
    this.views.set(tab, view);
    return {
      get length() {
        return view.items.size;
      },
      key: (index) => [...view.items.keys()][index] ?? null,
      getItem: (key) => view.items.get(key) ?? null,
      setItem: (key, value) => this.write(tab, key, value),
      removeItem: (key) => this.write(tab, key, null),
      listen: (listener) => {
        view.listener = listener;
        return () => void (view.listener = undefined);
      },
    };
  }

  /** From now on other tabs' writes wait in line until `catchUp()`. */
  lag() {
    this.held ??= [];
  }

  /** Delivers every held write, in order, and stops lagging. */
  catchUp() {
    const held = this.held ?? [];
    this.held = undefined;
    for (const deliver of held) deliver();
  }

  private write(writer: object | undefined, key: string, value: string | null) {
    const apply = (items: Map<string, string>) => (value === null ? items.delete(key) : items.set(key, value));
    const writersView = writer && this.views.get(writer);
    if (writersView) apply(writersView.items);
    // The write is on its way to the browser's copy (where a new tab reads from) and to the other tabs.
    const land = () => {
      apply(this.items);
      for (const [tab, view] of this.views) {
        if (tab === writer) continue;
        queueMicrotask(() => {
          apply(view.items);
          view.listener?.();
        });
      }
    };
    if (this.held) this.held.push(land);
    else land();
  }
}

interface NamedLock {
  holder: object | undefined;
  waiters: (() => void)[];
}

/** Web Locks: exclusive per name, `ifAvailable`, FIFO waiters, abortable. */
export class FakeLocks implements LockManagerLike {
  private readonly locks = new Map<string, NamedLock>();

  request(name: string, options: { ifAvailable?: boolean; signal?: AbortSignal }, callback: (lock: unknown) => Promise<unknown> | unknown): Promise<unknown> {
    const lock = this.lockNamed(name);
    if (options.signal?.aborted) return Promise.reject(new DOMException("aborted", "AbortError"));
    const run = async () => {
      const grant = {};
      lock.holder = grant;
      try {
        return await callback(grant);
      } finally {
        lock.holder = undefined;
        lock.waiters.shift()?.();
      }
    };
    if (!lock.holder) return run();
    if (options.ifAvailable) return Promise.resolve().then(() => callback(null));
    return new Promise((resolve, reject) => {
      const go = () => void run().then(resolve, reject);
      lock.waiters.push(go);
      options.signal?.addEventListener("abort", () => {
        const index = lock.waiters.indexOf(go);
        if (index < 0) return;
        lock.waiters.splice(index, 1);
        reject(new DOMException("aborted", "AbortError"));
      });
    });
  }

  /** Whether the lock `name` is held now. */
  isHeld(name: string) {
    return this.locks.get(name)?.holder !== undefined;
  }

  /** How many requests wait for `name`. */
  waiting(name: string) {
    return this.locks.get(name)?.waiters.length ?? 0;
  }

  private lockNamed(name: string): NamedLock {
    let lock = this.locks.get(name);
    if (!lock) {
      lock = { holder: undefined, waiters: [] };
      this.locks.set(name, lock);
    }
    return lock;
  }
}
