import "server-only";
import { stopAllHandlers } from "@/lib/server/stop-all/routes";

// Live mode: start a server-owned Stop All (POST) or list the recent ones (GET).
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = (request: Request) => stopAllHandlers.list(request);
export const POST = (request: Request) => stopAllHandlers.start(request);
