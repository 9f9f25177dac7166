import "server-only";
import { idOf, stopAllHandlers } from "@/lib/server/stop-all/routes";

// Live mode: one Stop All as Server-Sent Events (snapshot, then every event; Last-Event-ID resumes).
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = async (request: Request, context: { params: Promise<{ id: string }> }) => stopAllHandlers.events(request, await idOf(context));
