import "server-only";
import { jsonError } from "../responses";
import { crossSiteReadRefusal, crossSiteRefusal } from "../same-origin";
import { actionRequestSchema, startRequestSchema } from "../../stop-all-host/wire";
import { readActor } from "./actor";
import { operationEventsResponse, streamClient } from "./events-response";
import { readJsonBody } from "./json-body";
import type { OperationService, ServiceAnswer } from "./operation-service";

export { MAX_STREAMS_PER_CLIENT } from "./events-response";
export { MAX_BODY_BYTES } from "./json-body";

const ID = /^[A-Za-z0-9-]{1,64}$/;

/** What the handlers need, built once per process (lib/server/stop-all/runtime.ts), or the reason there is none. */
export type StopAllRuntime = { ok: true; service: OperationService; authUserHeader: string | undefined } | { ok: false; status: number; error: string };
export type StopAllRuntimeAccess = () => Promise<StopAllRuntime>;

const noStore = { "cache-control": "no-store" };
const answer = <T,>(result: ServiceAnswer<T>) =>
  "error" in result ? Response.json({ error: result.error, ...(result.body === undefined ? {} : { operation: result.body }) }, { status: result.status, headers: noStore }) : Response.json(result.body, { status: result.status, headers: noStore });

/** A read that the journal may fail (Postgres down): 503 with what happened. */
async function readAnswer(read: () => Promise<Response>): Promise<Response> {
  try {
    return await read();
  } catch (error) {
    return jsonError(503, error instanceof Error ? error.message : String(error));
  }
}

/**
 * The `/api/stop-all` route handlers over the process's operation service.
 * Writes need a same-origin request (the CSRF rules of lib/server/same-origin.ts),
 * reads refuse cross-site ones; ids are checked before use. Bodies are
 * read by json-body.ts, event streams answered by events-response.ts.
 */
export function createStopAllHandlers(access: StopAllRuntimeAccess) {
  const streamsByClient = new Map<string, number>();

  async function guard(request: Request, write: boolean) {
    const refusal = write ? crossSiteRefusal(request) : crossSiteReadRefusal(request);
    if (refusal) return { ok: false as const, response: jsonError(403, refusal) };
    const runtime = await access();
    if (!runtime.ok) return { ok: false as const, response: jsonError(runtime.status, runtime.error) };
    return { ...runtime, actor: readActor(request, runtime.authUserHeader) };
  }

  const badId = (id: string) => (ID.test(id) ? undefined : jsonError(400, "not a Stop All id"));

  return {
    async start(request: Request): Promise<Response> {
      const ctx = await guard(request, true);
      if (!ctx.ok) return ctx.response;
      const body = await readJsonBody(request, startRequestSchema);
      if (!body.ok) return body.response;
      return answer(await ctx.service.start(body.value, ctx.actor));
    },
    async list(request: Request): Promise<Response> {
      const ctx = await guard(request, false);
      if (!ctx.ok) return ctx.response;
      return readAnswer(async () => Response.json(await ctx.service.recent(), { headers: noStore }));
    },
    async current(request: Request): Promise<Response> {
      const ctx = await guard(request, false);
      if (!ctx.ok) return ctx.response;
      return readAnswer(async () => {
        const view = await ctx.service.current();
        return view ? Response.json(view, { headers: noStore }) : jsonError(404, "no Stop All yet");
      });
    },
    async get(request: Request, id: string): Promise<Response> {
      const ctx = await guard(request, false);
      if (!ctx.ok) return ctx.response;
      const invalid = badId(id);
      if (invalid) return invalid;
      return readAnswer(async () => {
        const view = await ctx.service.view(id);
        return view ? Response.json(view, { headers: noStore }) : jsonError(404, "no such Stop All");
      });
    },
    async act(request: Request, id: string): Promise<Response> {
      const ctx = await guard(request, true);
      if (!ctx.ok) return ctx.response;
      const invalid = badId(id);
      if (invalid) return invalid;
      const body = await readJsonBody(request, actionRequestSchema);
      if (!body.ok) return body.response;
      return answer(await ctx.service.act(id, body.value, ctx.actor));
    },
    async events(request: Request, id: string): Promise<Response> {
      const ctx = await guard(request, false);
      if (!ctx.ok) return ctx.response;
      const invalid = badId(id);
      if (invalid) return invalid;
      return operationEventsResponse({ service: ctx.service, request, id, client: streamClient(request, ctx.actor), streamsByClient });
    },
  };
}

export type StopAllHandlers = ReturnType<typeof createStopAllHandlers>;
