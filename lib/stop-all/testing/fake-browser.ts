import type { StorageLike } from "../operation-store";
import type { LockManagerLike } from "../session";

/** localStorage shared by the tabs of one fake browser; a write notifies the other tabs, as `storage` events do. */
export class FakeStorage implements StorageLike {
  private readonly items = new Map<string, string>();
  private readonly tabs = new Map<object, () => void>();

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
    this.items.set(key, value);
    this.tellOthers();
  }
  removeItem(key: string) {
    this.items.delete(key);
    this.tellOthers();
  }

  /** The storage-event subscription of one tab (`writer` is who writes through `this`). */
  listen(tab: object, listener: () => void): () => void {
    this.tabs.set(tab, listener);
    return () => void this.tabs.delete(tab);
  }

  /** Which tab is writing now; storage events never reach the writer itself. */
  writer: object | undefined;
  private tellOthers() {
    for (const [tab, listener] of this.tabs) if (tab !== this.writer) queueMicrotask(listener);
  }
}

/** Web Locks for one lock name: exclusive, `ifAvailable`, FIFO waiters, abortable. */
export class FakeLocks implements LockManagerLike {
  private holder: object | undefined;
  private readonly waiters: (() => void)[] = [];

  request(_name: string, options: { ifAvailable?: boolean; signal?: AbortSignal }, callback: (lock: unknown) => Promise<unknown> | unknown): Promise<unknown> {
    const run = async () => {
      const lock = {};
      this.holder = lock;
      try {
        return await callback(lock);
      } finally {
        this.holder = undefined;
        this.waiters.shift()?.();
      }
    };
    if (!this.holder) return run();
    if (options.ifAvailable) return Promise.resolve(callback(null));
    return new Promise((resolve, reject) => {
      const go = () => void run().then(resolve, reject);
      this.waiters.push(go);
      options.signal?.addEventListener("abort", () => {
        const index = this.waiters.indexOf(go);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new DOMException("aborted", "AbortError"));
      });
    });
  }

  get held() {
    return this.holder !== undefined;
  }
}
