// Runs inside a live build's page before any of its scripts (live.mjs hands
// its path to page.addInitScript): a plain browser script, not a module. It
// only observes. Times are epoch ms (Date.now()), the clock the test
// platform stamps its metrics with on this same machine.
//
//   window.__liveBench.posts      every POST /api/stop-all: { at } when the page called
//                                 fetch() (the click, as the platform sees it: the request
//                                 leaving the page), then { status, answeredAt, operationId }
//   window.__liveBench.finishedAt first time, after a POST, that the Stop All summary
//                                 (data-testid "stop-all-summary") reads "Stopped …"
//                                 after having been empty (the new operation running):
//                                 a summary left from an earlier operation does not count
//                                 (checked every 50 ms)

const live = { posts: [], finishedAt: undefined, finishedText: undefined, sawRunning: false };
window.__liveBench = live;

const nativeFetch = window.fetch.bind(window);
window.fetch = function liveBenchFetch(input, init) {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
  if (method !== "POST" || new URL(url, location.href).pathname !== "/api/stop-all") return nativeFetch(input, init);
  const entry = { at: Date.now() };
  live.posts.push(entry);
  if (live.posts.length === 1) watchSummary();
  const answer = nativeFetch(input, init);
  answer.then(
    (response) => {
      entry.status = response.status;
      entry.answeredAt = Date.now();
      response
        .clone()
        .json()
        .then((body) => (entry.operationId = body?.id ?? body?.operation?.id))
        .catch(() => {});
    },
    (error) => (entry.error = String(error)),
  );
  return answer;
};

function watchSummary() {
  const timer = setInterval(() => {
    const text = document.querySelector('[data-testid="stop-all-summary"]')?.textContent;
    if (text === "") live.sawRunning = true;
    if (live.sawRunning && text?.startsWith("Stopped")) {
      live.finishedAt = Date.now();
      live.finishedText = text;
      clearInterval(timer);
    }
  }, 50);
}
