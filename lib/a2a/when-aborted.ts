/**
 * Listeners of one signal's abort, kept in a Set behind a single listener
 * on the signal. Every request of an operation listens to the operation's
 * (or its target's) signal while it is out: thousands at once on one
 * signal. EventTarget keeps its listeners in a list, so each removal walks
 * it (O(n) per request), and past 10 Node prints a "possible EventTarget
 * memory leak" warning that is not one.
 */
const listenersBySignal = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `listener` once when `signal` aborts, unless the returned function
 * was called first. Like addEventListener, nothing is called for a signal
 * already aborted: callers check `signal.aborted` first. A listener that
 * throws is reported (rethrown in a microtask); the others are still called.
 */
export function whenAborted(signal: AbortSignal, listener: () => void): () => void {
  let listeners = listenersBySignal.get(signal);
  if (!listeners) {
    const created = new Set<() => void>();
    listeners = created;
    listenersBySignal.set(signal, created);
    signal.addEventListener(
      "abort",
      () => {
        listenersBySignal.delete(signal);
        for (const each of [...created]) {
          created.delete(each);
          try {
            each();
          } catch (error) {
            queueMicrotask(() => {
              throw error;
            });
          }
        }
      },
      { once: true },
    );
  }
  const own = listeners;
  if (signal.aborted) return () => {};
  own.add(listener);
  return () => void own.delete(listener);
}
