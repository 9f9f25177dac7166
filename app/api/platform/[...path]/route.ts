import "server-only";
import { serverConfig } from "@/lib/server/config";
import { createPlatformHandlers } from "@/lib/server/platform-handlers";

// Live mode: forwards the few platform calls the canvas makes to PLATFORM_URL,
// adding the bearer token server-side. Mock mode: 503 (MSW answers in the browser).
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const handlers = createPlatformHandlers(serverConfig());

export const GET = handlers.GET;
export const POST = handlers.POST;
