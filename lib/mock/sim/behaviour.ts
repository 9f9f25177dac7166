/** A2A protocol versions the simulated agents speak. */
export type SimProtocol = "0.3" | "1.0";

/** What an agent does with a cancel that reaches it. */
export type CancelBehaviour =
  /** Answers `canceled`, and the task's work really stops `drainAfterMs` later. */
  | { kind: "honour"; drainAfterMs: number }
  /** Answers `canceled` but the work runs on: `active_tasks` never drains (stuck). */
  | { kind: "ignore" }
  /** Answers a JSON-RPC error with `code` and leaves the task running. */
  | { kind: "refuse"; code: number; message?: string };

/** Plain HTTP statuses the proxy may answer with no defined body (PLATFORM_API.md's last row, plus 409). */
export type PlainProxyStatus = 400 | 401 | 403 | 409 | 429 | 500 | 504 | 520 | 521 | 522 | 523 | 524;

/**
 * An answer the platform's A2A proxy gives instead of the agent's own
 * reply: one kind per row of PLATFORM_API.md's proxy table, plus transport
 * faults (a hang, a broken body, a wrong JSON-RPC id).
 */
export type ProxyAnswer =
  /** `200 {"status":"queued","delivery_mode":"poll","method"}`: stored for a poll-mode agent, not delivered. */
  | { kind: "poll-queued" }
  /** `202 {"queued":true,"queue_id","queue_depth"}`: agent busy, queued behind its work. */
  | { kind: "queued"; queueDepth?: number }
  /** `503 {"busy":true,"retry_after"}` with `Retry-After`, or without the header when `retryAfterSeconds` is null. */
  | { kind: "busy"; retryAfterSeconds: number | null }
  /** `503 {"waking":true}` + `Retry-After`. (A hibernated workspace answers this by itself, and wakes.) */
  | { kind: "waking" }
  /** `503 {"restarting":true}`; the platform then restarts the workspace by itself. */
  | { kind: "restarting" }
  /** `503 {"code":"platform_unavailable"}`. */
  | { kind: "platform-unavailable" }
  /** `502 {"error":"failed to reach workspace agent"}`. */
  | { kind: "unreachable" }
  /** `404 {"error":"workspace not found"}`; the workspace is removed at that moment. */
  | { kind: "not-found" }
  /** A plain error status (Cloudflare's 52x come with a text body, as Cloudflare sends them). */
  | { kind: "status"; status: PlainProxyStatus }
  /** No answer at all until the request is aborted. */
  | { kind: "hang" }
  /** `200` with the agent's JSON cut in half. */
  | { kind: "truncated-body" }
  /** `200` with an HTML page instead of JSON. */
  | { kind: "not-json" }
  /** The agent's real answer, but carrying another JSON-RPC id. */
  | { kind: "mismatched-id" }
  /** The connection fails (refused, reset): the browser's fetch rejects with a network error. The agent gets nothing. */
  | { kind: "connection-refused" }
  /** `200` with the agent's real answer padded past `chars` (default 1.2 million): larger than the canvas reads. */
  | { kind: "huge-body"; chars?: number }
  /** `200` with an empty body. */
  | { kind: "empty-body" };

/**
 * Fault injection: `answer` replaces the normal reply for the JSON-RPC
 * `methods` named (all when absent) and for the attempts selected (all when
 * neither is given). Attempts are counted per workspace and method, from 1.
 */
export interface A2AFault {
  answer: ProxyAnswer;
  methods?: string[];
  /** Only the first N attempts get this answer; later ones go through. */
  firstAttempts?: number;
  /** Only these attempt numbers get this answer. */
  attempts?: number[];
}

/** What `POST /workspaces/:id/restart` does. */
export type RestartBehaviour =
  /** `200 {"status":"provisioning"}`, then online `restartMs` later with no tasks. */
  | { kind: "ok"; restartMs: number }
  /** The restart is refused with this status (404, 409, 500, 503, …); nothing changes. */
  | { kind: "fail"; status: number }
  /** The restart happens but its answer is lost: the request never completes. */
  | { kind: "hang"; restartMs: number }
  /** The restart happens but a gateway in front of the platform answers `status` (504, 520, 524…) as text. */
  | { kind: "gateway-error"; status: number; restartMs: number }
  /** The connection fails before the platform sees the request: nothing happens, the fetch rejects. */
  | { kind: "connection-refused" };

/**
 * An answer injected on some attempts of one platform call (restart, pause,
 * resume), like A2AFault: the first that matches the attempt (counted per
 * workspace and call from 1) replaces the call's behaviour for it; later
 * attempts go through to it.
 */
export interface AttemptFault<Answer> {
  answer: Answer;
  /** Only the first N attempts get this answer. */
  firstAttempts?: number;
  /** Only these attempt numbers get this answer. */
  attempts?: number[];
}

/** Fault injection on `POST /workspaces/:id/restart`, in front of `restart`. */
export type RestartFault = AttemptFault<RestartBehaviour>;

/**
 * What `POST /workspaces/:id/pause` or `/resume` does (sim/pause.ts). The
 * cascade down the team tree is the platform's; timing is each workspace's
 * own (a resumed one is online after its `restart`'s restartMs).
 */
export type HoldBehaviour =
  /** The platform's own answer: 200 with the count, or the 404 / 409 / 503 the fleet calls for. */
  | { kind: "ok" }
  /**
   * Refused with this status, nothing changes. The contract's bodies: pause
   * 404 and 500, resume 404, 409, 503 and 500; any other status `{"error"}`.
   */
  | { kind: "fail"; status: number }
  /** It happens (the whole cascade) but its answer is lost: the request never completes. */
  | { kind: "hang" }
  /** It happens but a gateway in front of the platform answers `status` (504, 520, 524…) as text. */
  | { kind: "gateway-error"; status: number }
  /** The connection fails before the platform sees the request: nothing happens, the fetch rejects. */
  | { kind: "connection-refused" };

export type PauseBehaviour = HoldBehaviour;
export type ResumeBehaviour = HoldBehaviour;
/** Fault injection on `POST /workspaces/:id/pause`, in front of `pause`. */
export type PauseFault = AttemptFault<PauseBehaviour>;
/** Fault injection on `POST /workspaces/:id/resume`, in front of `resume`. */
export type ResumeFault = AttemptFault<ResumeBehaviour>;

/** Ambient life of an idle agent: short tasks started and finished on their own. */
export interface ChattyBehaviour {
  /** Idle time between tasks, [min, max] ms. */
  idleMs: [number, number];
  /** Length of a task, [min, max] ms. */
  taskMs: [number, number];
  /** Descriptions to pick from. */
  tasks: string[];
}

/** How one simulated agent (and the platform in front of it) behaves. Plain data, changeable at runtime. */
export interface AgentBehaviour {
  /**
   * The method names the agent answers to. It can differ from its card:
   * the A2A SDK assumes 0.3 when no `A2A-Version` header is sent, and the
   * platform proxy sends none.
   */
  answersMethodsOf: SimProtocol;
  /** The error for a method name of the other version: -32601, or -32009 for a 1.0 agent that checks versions. */
  wrongVersionCode: -32601 | -32009;
  cancel: CancelBehaviour;
  /** Answers injected in front of the agent; the first that matches wins. */
  faults: A2AFault[];
  restart: RestartBehaviour;
  /** Restart answers injected per attempt in front of `restart` (none when absent). */
  restartFaults?: RestartFault[];
  /** What a pause of this workspace (not one cascading onto it from above) answers. */
  pause: PauseBehaviour;
  /** Pause answers injected per attempt in front of `pause` (none when absent). */
  pauseFaults?: PauseFault[];
  /** What a resume of this workspace (not one cascading onto it from above) answers. */
  resume: ResumeBehaviour;
  /** Resume answers injected per attempt in front of `resume` (none when absent), e.g. the first 503, the next fine. */
  resumeFaults?: ResumeFault[];
  /**
   * Fields laid over this workspace's row in `GET /workspaces`, verbatim, to
   * break it (`{ active_tasks: -1 }`, `{ active_tasks: "3" }`, `{ name: null }`).
   * The agent and its events are unchanged.
   */
  rowPatch?: Record<string, unknown> | null;
  /** Removed from the platform this long after the first cancel reaches it (null: never). */
  removeAfterCancelMs: number | null;
  /** Extra time before the agent answers (a cancel may block until the task stops). */
  answerDelayMs: number;
  /** Start and finish short tasks on its own (null: stay as it is). */
  chatty: ChattyBehaviour | null;
  /** Long tasks report progress (a new `current_task`, so a TASK_UPDATED) this often (null: never). */
  progressEveryMs: number | null;
  /** How long a hibernated workspace takes to wake. */
  wakeMs: number;
  /** New work the platform hands it once a cancel drained it (comes-back.ts); absent: none. */
  comesBack?: ComesBackBehaviour;
}

/**
 * How a drained workspace gets busy again on the platform the canvas serves
 * (../shared/PLATFORM_API.md, "How a drained workspace gets busy again").
 */
export interface ComesBackBehaviour {
  /** A message queued while it was busy, delivered on the first heartbeat after the drain (every `heartbeatMs`). */
  queuedMessage?: { task: string; heartbeatMs: number };
  /** Its idle loop's prompt, `afterMs` after the drain while it is still idle. */
  idlePrompt?: { task: string; afterMs: number };
}

/** The behaviour of an agent nobody configured: answers its card's methods, honours cancels within a second. */
export function defaultBehaviour(card: SimProtocol | "none"): AgentBehaviour {
  return {
    answersMethodsOf: card === "1.0" ? "1.0" : "0.3",
    wrongVersionCode: -32601,
    cancel: { kind: "honour", drainAfterMs: 1000 },
    faults: [],
    restart: { kind: "ok", restartMs: 3000 },
    pause: { kind: "ok" },
    resume: { kind: "ok" },
    removeAfterCancelMs: null,
    answerDelayMs: 0,
    chatty: null,
    progressEveryMs: null,
    wakeMs: 5000,
  };
}
