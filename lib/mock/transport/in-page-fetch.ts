import type { FetchLike } from "../../platform/client";
import { answerPlatformRequest, ownsPlatformRequest, toResponse, type HttpAnswer, type PlatformAnswer } from "../router/answer-platform-request";
import type { FleetSimulation } from "../sim/fleet-simulation";
import { createLaterTasks } from "../../time/later-task";

export interface InPageFetchOptions {
  /** The simulation running now (the scenario picker swaps it); none: everything goes to `fallback`. */
  simulation: () => FleetSimulation | undefined;
  /** The page's URL: relative inputs resolve against it, and only its origin is answered here. */
  baseUrl: () => string;
  /** The real fetch, for everything the router does not own. */
  fallback: FetchLike;
  /**
   * How answers are handed back; default: each in a later macrotask of its
   * own (createLaterTasks), as a network answer comes. /preview's worlds,
   * which move only when their fake clock does, hand them back at once.
   */
  deliver?: (answer: () => void) => void;
  /** How an HTTP answer becomes a Response; default: a native one (`toResponse`). */
  makeResponse?: (answer: HttpAnswer) => Response;
}

// Fetch's method normalisation: these six are upper-cased, others kept as written.
const NORMALISED_METHODS = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]);
const FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The request as fetch would send it, when this transport can answer it
 * exactly as the service worker would; undefined sends it to the real
 * fetch, which rejects what fetch rejects (bad URL, method, header, a GET
 * with a body) and reaches the same router through the worker otherwise.
 */
function inPageRequest(input: string, init: RequestInit | undefined, baseUrl: string) {
  try {
    const url = new URL(input, baseUrl);
    const written = init?.method ?? "GET";
    const method = NORMALISED_METHODS.has(written.toUpperCase()) ? written.toUpperCase() : written;
    if (url.origin !== new URL(baseUrl).origin || !TOKEN.test(method) || FORBIDDEN_METHODS.has(method.toUpperCase())) return undefined;
    if ((method === "GET" || method === "HEAD") && init?.body != null) return undefined;
    if (!ownsPlatformRequest(method, url.pathname)) return undefined;
    return { url, method, headers: new Headers(init?.headers) };
  } catch {
    return undefined;
  }
}

const abortReason = (signal: AbortSignal): unknown => signal.reason ?? new DOMException("This operation was aborted", "AbortError");

/**
 * A fetch that answers the app's own platform requests (same origin, under
 * `/api/platform`, not the event stream) straight from the running
 * simulation through the router, with no service worker, no MSW and no
 * Request object in between; anything else goes to `fallback`. It keeps
 * fetch's contract: a real Response; a network error rejects with
 * TypeError("Failed to fetch"); an abort (before or while waiting) rejects
 * with the signal's reason, an AbortError, and ends a hang on the
 * simulation's side too (the service worker never passed aborts on). Every
 * answer and rejection arrives in a later macrotask (createLaterTasks),
 * unless `deliver` says otherwise.
 */
export function createInPageFetch({ simulation, baseUrl, fallback, deliver: later = createLaterTasks(), makeResponse = toResponse }: InPageFetchOptions): FetchLike {
  return (input, init) => {
    const sim = simulation();
    const target = sim ? inPageRequest(input, init, baseUrl()) : undefined;
    if (!sim || !target) return fallback(input, init);
    const signal = init?.signal ?? undefined;
    return new Promise<Response>((resolve, reject) => {
      let finished = false;
      const finish = (deliver: () => void) => {
        if (finished) return;
        finished = true;
        signal?.removeEventListener("abort", onAbort);
        later(deliver);
      };
      const routerAbort = new AbortController();
      const onAbort = () => {
        routerAbort.abort();
        finish(() => reject(abortReason(signal!)));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });

      const deliver = (answer: PlatformAnswer | undefined) => {
        if (finished) return; // aborted meanwhile: the rejection is on its way
        if (!answer) return void fallback(input, init).then((response) => finish(() => resolve(response)), (error: unknown) => finish(() => reject(error)));
        if (answer.kind === "network-error") return finish(() => reject(new TypeError("Failed to fetch")));
        const response = makeResponse(answer);
        // A fetched Response knows its URL; a constructed one does not.
        Object.defineProperty(response, "url", { value: target.url.href });
        finish(() => resolve(response));
      };
      const body = init?.body;
      Promise.resolve(typeof body === "string" ? body : body == null ? "" : new Response(body).text())
        .then((text) => (finished ? undefined : answerPlatformRequest(sim, { method: target.method, path: target.url.pathname, headers: target.headers, body: text, signal: routerAbort.signal })))
        .then(deliver, (error: unknown) => finish(() => reject(error)));
    });
  };
}
