import "server-only";
import { serverConfig } from "@/lib/server/config";
import { createProxyHandlers } from "@/lib/server/proxy-handlers";

// Live mode: forwards the few platform calls the canvas makes to PLATFORM_URL,
// adding the bearer token server-side. Mock mode: 503 (the mock platform
// answers in the page, never through the server).
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const handlers = createProxyHandlers(serverConfig());

export const GET = handlers.GET;
export const POST = handlers.POST;
