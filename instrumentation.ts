// Runs once when the Next server starts. In live mode it makes the Stop All
// service at once, so an operation that a crash or a restart interrupted
// carries on (with its original deadline) before any browser comes back,
// and a bad AUTH_USER_HEADER or an unwritable DATA_DIR stops the server here.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs" || !process.env.PLATFORM_URL?.trim()) return;
  const { stopAllRuntime } = await import("./lib/server/stop-all/runtime");
  const runtime = await stopAllRuntime();
  if (!runtime.ok && runtime.status === 500) throw new Error(runtime.error);
}
