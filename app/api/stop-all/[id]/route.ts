import "server-only";
import { idOf, stopAllHandlers } from "@/lib/server/stop-all/routes";

// Live mode: one Stop All, with who started it, why, and its state.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = async (request: Request, context: { params: Promise<{ id: string }> }) => stopAllHandlers.get(request, await idOf(context));
