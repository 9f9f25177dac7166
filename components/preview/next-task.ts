/**
 * Resolves on a later task of the event loop (not a throttled timer): lets
 * the browser render and handle input between steps of a simulated world.
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
