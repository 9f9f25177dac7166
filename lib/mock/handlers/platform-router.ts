import { http, HttpResponse } from "msw";
import { answerPlatformRequest, ownsPlatformRequest, toResponse } from "../router/answer-platform-request";
import type { FleetSimulation } from "../sim/fleet-simulation";

/** The path of a request, without origin or query: what the request log keeps. */
export function pathOf(request: Request): string {
  return new URL(request.url).pathname;
}

/**
 * Every request under `/api/platform` except the event stream, answered by
 * the framework-free router (lib/mock/router): the service worker's way to
 * the same behaviour the in-page transport gives the app. The router owns
 * the matching, so this handler matches whatever it owns.
 */
export function platformRouterHandler(sim: FleetSimulation) {
  return http.all(
    ({ request }) => ownsPlatformRequest(request.method, pathOf(request)),
    async ({ request }) => {
      const answer = await answerPlatformRequest(sim, {
        method: request.method,
        path: pathOf(request),
        headers: request.headers,
        body: await request.text(),
        signal: request.signal,
      });
      if (!answer) return undefined;
      return answer.kind === "response" ? toResponse(answer) : HttpResponse.error();
    },
  );
}
