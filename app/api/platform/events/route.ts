import "server-only";
import { serverConfig } from "@/lib/server/config";
import { createEventsHandler } from "@/lib/server/events-handler";

// Live events: the platform's /ws relayed to the browser as Server-Sent Events,
// every browser on the one upstream socket this server process shares
// (lib/server/shared-upstream-events.ts).
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = createEventsHandler(serverConfig());
