/**
 * Runs each callback in a later macrotask of its own, in order, through a
 * MessageChannel: a message is a task, as a network answer is, and unlike
 * a timer it is not held by Playwright's page.clock (which fakes timers,
 * not MessageChannel). The channel is open only while something is queued,
 * since an open port keeps node's event loop alive.
 */
export function createLaterTasks(): (callback: () => void) => void {
  const queue: Array<() => void> = [];
  let channel: MessageChannel | undefined;
  return (callback) => {
    queue.push(callback);
    if (!channel) {
      const opened = new MessageChannel();
      opened.port1.onmessage = () => {
        const next = queue.shift();
        // One message per queued callback: an empty queue means none is left in flight.
        if (queue.length === 0) {
          opened.port1.close();
          channel = undefined;
        }
        next?.();
      };
      channel = opened;
    }
    channel.port2.postMessage(null);
  };
}
