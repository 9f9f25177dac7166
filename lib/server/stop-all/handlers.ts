import "server-only";
import type { z } from "zod";
import { BodyTooLargeError, readBounded } from "../bounded-body";
import { jsonError } from "../responses";
import { crossSiteReadRefusal, crossSiteRefusal } from "../same-origin";
import { SSE_HEADERS } from "../sse";
import { actionRequestSchema, startRequestSchema } from "../../stop-all-host/wire";
import { readActor } from "./actor";
import type { OperationService, ServiceAnswer } from "./operation-service";
import { operationEventStream } from "./operation-stream";

/** A start names at most a fleet of ids: 2 MiB holds 20,000 of them with room to spare. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** Event streams one client (actor, else forwarded address) may hold open at once. */
export const MAX_STREAMS_PER_CLIENT = 12;
const ID = /^[A-Za-z0-9-]{1,64}$/;

/** What the handlers need, built once per process (lib/server/stop-all/runtime.ts), or the reason there is none. */
export type StopAllRuntime = { ok: true; service: OperationService; authUserHeader: string | undefined } | { ok: false; status: number; error: string };
export type StopAllRuntimeAccess = () => Promise<StopAllRuntime>;

const noStore = { "cache-control": "no-store" };
const answer = <T,>(result: ServiceAnswer<T>) =>
  "error" in result ? Response.json({ error: result.error, ...(result.body === undefined ? {} : { operation: result.body }) }, { status: result.status, headers: noStore }) : Response.json(result.body, { status: result.status, headers: noStore });

async function readJson<T>(request: Request, schema: z.ZodType<T>): Promise<{ ok: true; value: T } | { ok: false; response: Response }> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) return { ok: false, response: jsonError(415, "send the body as application/json") };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(await readBounded(request.body, MAX_BODY_BYTES));
  } catch (error) {
    return { ok: false, response: jsonError(error instanceof BodyTooLargeError ? 413 : 400, error instanceof BodyTooLargeError ? `the body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB` : "the body is not UTF-8 text") };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, response: jsonError(400, "the body is not valid JSON") };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
  return { ok: false, response: jsonError(400, `${where}${issue?.message ?? "unexpected body"}`) };
}

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
 * reads refuse cross-site ones; ids are checked before use.
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
      const body = await readJson(request, startRequestSchema);
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
      const body = await readJson(request, actionRequestSchema);
      if (!body.ok) return body.response;
      return answer(await ctx.service.act(id, body.value, ctx.actor));
    },
    async events(request: Request, id: string): Promise<Response> {
      const ctx = await guard(request, false);
      if (!ctx.ok) return ctx.response;
      const invalid = badId(id);
      if (invalid) return invalid;
      const client = ctx.actor !== "anonymous" ? ctx.actor : (request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? "anonymous");
      const open = streamsByClient.get(client) ?? 0;
      if (open >= MAX_STREAMS_PER_CLIENT) return jsonError(429, `at most ${MAX_STREAMS_PER_CLIENT} Stop All streams per client; close another tab`, { "retry-after": "10" });
      const lastId = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("after");
      const after = lastId !== null && /^\d{1,12}$/.test(lastId) ? Number(lastId) : undefined;
      let unsubscribe: (() => void) | undefined;
      let ended = false;
      let last: { seq: number; phase: string; counts: unknown; journalProblem?: string } | undefined;
      const known = await ctx.service.view(id).catch(() => undefined);
      if (!known) return jsonError(404, "no such Stop All");
      streamsByClient.set(client, open + 1);
      const stream = operationEventStream(
        (send) => {
          const track = (message: Parameters<typeof send>[0]) => {
            const view = message.kind === "snapshot" ? message.view : undefined;
            if (view) last = { seq: view.seq, phase: view.state.phase, counts: view.state.counts };
            else if (last) last = { ...last, seq: message.kind === "event" ? message.event.seq : last.seq };
            send(message);
          };
          void ctx.service.watch(id, after, track).then((stop) => {
            if (ended) stop?.();
            else unsubscribe = stop;
          });
          return () => {
            ended = true;
            unsubscribe?.();
          };
        },
        () => {
          // The driver's or the journal's view, read in the background: the next line carries it.
          void ctx.service
            .view(id)
            .then((view) => {
              if (view) last = { seq: view.seq, phase: view.state.phase, counts: view.state.counts, ...(view.journalProblem ? { journalProblem: view.journalProblem } : {}) };
            })
            .catch((error: unknown) => {
              // This replica cannot read the journal either: say so on the stream.
              last = { ...(last ?? { seq: 0, phase: "unknown", counts: {} }), journalProblem: error instanceof Error ? error.message : String(error) };
            });
          return last ?? {};
        },
        request.signal,
        () => {
          unsubscribe?.();
          const left = (streamsByClient.get(client) ?? 1) - 1;
          if (left <= 0) streamsByClient.delete(client);
          else streamsByClient.set(client, left);
        },
      );
      return new Response(stream, { headers: SSE_HEADERS });
    },
  };
}

export type StopAllHandlers = ReturnType<typeof createStopAllHandlers>;
