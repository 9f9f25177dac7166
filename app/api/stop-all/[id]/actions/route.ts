import "server-only";
import { idOf, stopAllHandlers } from "@/lib/server/stop-all/routes";

// Live mode: steer a Stop All (restart-now, keep, retry, resume-held), recorded with the actor.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = async (request: Request, context: { params: Promise<{ id: string }> }) => stopAllHandlers.act(request, await idOf(context));
