import "server-only";
import { stopAllHandlers } from "@/lib/server/stop-all/routes";

// Live mode: the running Stop All, else the latest one.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = (request: Request) => stopAllHandlers.current(request);
