// Runs inside the page before any of its scripts: a plain browser script, not
// a module. measure.mjs hands its path to page.addInitScript, and Playwright
// runs every init script inside a function of its own, so the names below
// stay out of the page's globals; only what is set on window is shared.
// It only observes: every time is performance.now() on the page's real clock.
//
//   window.__bench.requests   every platform request the moment it is sent ({ t, method,
//                             path, rpc }) and, for GET /workspaces, when its answer
//                             arrived ({ answeredAt }). The app's own requests: when it
//                             hands them to its transport (mock mode answers them in
//                             the page, not through window.fetch), reported through
//                             window.__fleetRequestObserver (components/mock/
//                             probed-platform-client.ts). Anything else (the naive baseline,
//                             the floor): when window.fetch is called.
//   window.__bench.zeroAt     per workspace, the first live event since arm() that
//                             said active_tasks 0 (the drain event)
//   window.__bench.longTasks  PerformanceObserver "longtask" entries
//   window.__bench.commits    times of React commits (a React DevTools hook stand-in:
//                             react-dom calls it on every commit, production included)
//   window.__bench.clickAt    the confirming submit of the Stop All dialog
//   window.__bench.finishedAt the summary of the Stop All panel got its text
//   window.__bench.paintedAt  first frame after the rows arrived in which the canvas
//                             shows its nodes, measured after that frame's paint

const now = () => performance.now();
const bench = createBench();
window.__bench = bench;

window.__fleetRequestObserver = (request, answer) => record(now(), request.method, request.path, request.body, answer);
window.fetch = recordingFetch(window.fetch.bind(window));
const NativeEventSource = window.EventSource;
if (NativeEventSource) window.EventSource = drainWatchingEventSource(NativeEventSource);
observeLongTasks();
window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = commitCountingHook();
window.addEventListener(
  "submit",
  (event) => {
    if (bench.armed && bench.clickAt === undefined && event.target instanceof HTMLFormElement && event.target.closest("dialog")) bench.clickAt = now();
  },
  true,
);

/** What window.__bench holds; `arm()` starts an operation's measurements afresh. */
function createBench() {
  return {
    requests: [],
    zeroAt: {},
    longTasks: [],
    commits: [],
    clickAt: undefined,
    finishedAt: undefined,
    rowsAt: undefined,
    paintedAt: undefined,
    armed: false,
    arm() {
      this.requests = [];
      this.zeroAt = {};
      this.clickAt = undefined;
      this.finishedAt = undefined;
      this.armed = true;
      watchSummary();
    },
    /** Long tasks and React commits between `from` and `to`. */
    activity(from, to) {
      const tasks = this.longTasks.filter((t) => t.start < to && t.start + t.duration > from);
      return {
        longestTaskMs: tasks.reduce((max, t) => Math.max(max, t.duration), 0),
        longTasks: tasks.length,
        commits: this.commits.filter((t) => t >= from && t <= to).length,
      };
    },
  };
}

// One platform request sent at `t`; `answer` is what the sender got back.
function record(t, method, url, body, answer) {
  const path = new URL(url, location.href).pathname;
  const entry = { t, method: method.toUpperCase(), path };
  if (path.endsWith("/a2a") && typeof body === "string") {
    try {
      entry.rpc = JSON.parse(body).method;
    } catch {
      entry.rpc = "?";
    }
  }
  bench.requests.push(entry);
  if (path === "/api/platform/workspaces") {
    answer.then(
      () => {
        entry.answeredAt = now();
        if (bench.rowsAt === undefined) {
          bench.rowsAt = entry.answeredAt;
          watchPaint();
        }
      },
      () => {},
    );
  }
}

/** window.fetch that records every platform request it sends. */
function recordingFetch(originalFetch) {
  return (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!new URL(url, location.href).pathname.startsWith("/api/platform/")) return originalFetch(input, init);
    const t = now();
    const answer = originalFetch(input, init);
    record(t, init?.method ?? (typeof input === "object" && "method" in input ? input.method : "GET"), url, init?.body, answer);
    return answer;
  };
}

/** EventSource whose streams stamp each workspace's first drain event (active_tasks 0) once armed. */
function drainWatchingEventSource(Base) {
  return class extends Base {
    constructor(url, options) {
      super(url, options);
      // Registered before the app's onmessage, so it sees each event first.
      this.addEventListener("message", (message) => {
        if (!bench.armed || typeof message.data !== "string" || !message.data.includes('"active_tasks":0')) return;
        try {
          const event = JSON.parse(message.data);
          if (event.payload?.active_tasks === 0 && bench.zeroAt[event.workspace_id] === undefined) bench.zeroAt[event.workspace_id] = now();
        } catch {
          // not ours to judge
        }
      });
    }
  };
}

function observeLongTasks() {
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: "longtask", buffered: true });
  } catch {
    // longtask is Chromium-only
  }
}

/** A React DevTools global hook that only stamps commits. */
function commitCountingHook() {
  return {
    supportsFiber: true,
    isDisabled: false,
    renderers: new Map(),
    inject(renderer) {
      this.renderers.set(1, renderer);
      return 1;
    },
    checkDCE() {},
    onScheduleFiberRoot() {},
    onCommitFiberRoot() {
      bench.commits.push(now());
    },
    onCommitFiberUnmount() {},
    onPostCommitFiberRoot() {},
  };
}

// The summary line lives in the panel, which appears with the operation:
// watch <main>'s children (cheap) until it is there, then the line itself.
function watchSummary() {
  const main = document.querySelector("main");
  if (!main) return;
  let lineObserver;
  const check = () => {
    const line = main.querySelector('[data-testid="stop-all-summary"]');
    if (!line) return;
    if (!lineObserver) {
      lineObserver = new MutationObserver(() => {
        if (bench.armed && bench.finishedAt === undefined && line.textContent) {
          bench.finishedAt = now();
          lineObserver.disconnect();
        }
      });
      lineObserver.observe(line, { childList: true, characterData: true, subtree: true });
      panelObserver.disconnect();
    }
  };
  const panelObserver = new MutationObserver(check);
  panelObserver.observe(main, { childList: true });
  check();
}

// Painted: the canvas shows the fleet (React Flow's nodes are measured and
// no longer visibility:hidden, or the overview has drawn) in the first view
// (the viewport has moved from React Flow's default to fit the fleet).
function watchPaint() {
  const frame = () => {
    const viewport = document.querySelector(".react-flow__viewport");
    const fitted = viewport instanceof HTMLElement && viewport.style.transform !== "" && viewport.style.transform !== "translate(0px, 0px) scale(1)";
    const nodes = document.querySelectorAll(".react-flow__node");
    const last = nodes[nodes.length - 1];
    const overview = document.querySelector('[data-testid="fleet-overview"]');
    const shown = (last instanceof HTMLElement && last.style.visibility !== "hidden") || (overview instanceof HTMLElement && overview.dataset.drawn !== undefined);
    if (shown && fitted) {
      bench.nodesAtPaint = nodes.length;
      bench.overviewAtPaint = overview instanceof HTMLElement ? Number(overview.dataset.drawn) : 0;
      setTimeout(() => {
        bench.paintedAt = now();
      }, 0);
      return;
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}
