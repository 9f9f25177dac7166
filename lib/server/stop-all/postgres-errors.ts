import "server-only";
import { JournalUnavailableError } from "./journal";
import { POSTGRES_LIMITS } from "./postgres-limits";

/** Errors that mean "Postgres cannot be reached", not "Postgres said no". */
const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "EHOSTDOWN", "ENETUNREACH", "ENETDOWN", "ENOTFOUND", "EAI_AGAIN", "EPIPE", "ECONNABORTED"]);
/** SQLSTATEs: admin/crash shutdown, cannot connect now (starting or stopping), statement timeout, too many connections. Class 08 (connection exception) too. */
const UNREACHABLE_SQLSTATES = new Set(["57P01", "57P02", "57P03", "57014", "53300"]);
const UNREACHABLE_MESSAGES = /connection terminated|connection timeout|timeout exceeded when trying to connect|query read timeout|not queryable|timeout expired|connection ended/i;

/** The `code` of a driver or server error (a SQLSTATE, or a Node errno like ECONNREFUSED). */
export function codeOf(error: unknown): string | undefined {
  const code = error && typeof error === "object" && "code" in error ? (error as { code: unknown }).code : undefined;
  return typeof code === "string" ? code : undefined;
}

/** Whether `error` means the database cannot be reached (down, restarting, hung, or the network). */
export function isUnreachable(error: unknown): boolean {
  if (error instanceof JournalUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const code = codeOf(error);
  if (code && (UNREACHABLE_CODES.has(code) || UNREACHABLE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  if (error instanceof AggregateError && error.errors.some(isUnreachable)) return true;
  return UNREACHABLE_MESSAGES.test(error.message);
}

/** `postgres://user:***@host:port/db`: a DATABASE_URL fit for messages and logs (no password). */
export function redactDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = "***";
    const query = url.search ? "?…" : "";
    url.search = "";
    url.hash = "";
    return `${url.toString()}${query}`;
  } catch {
    return "(an unparseable DATABASE_URL)";
  }
}

/** Removes `databaseUrl` and its password from `text`. */
function redactor(databaseUrl: string): (text: string) => string {
  const secrets = new Set<string>();
  try {
    const { password } = new URL(databaseUrl);
    if (password) {
      secrets.add(password);
      try {
        secrets.add(decodeURIComponent(password));
      } catch {
        // not %-encoded
      }
    }
  } catch {
    // checked by openPostgresJournal
  }
  const redacted = redactDatabaseUrl(databaseUrl);
  return (text) => {
    let out = text.split(databaseUrl).join(redacted);
    for (const secret of secrets) out = out.split(secret).join("***");
    return out;
  };
}

/** The driver's own words for a timeout, said plainly. */
const DRIVER_MESSAGES: Record<string, string> = {
  "Query read timeout": `no answer from Postgres within ${POSTGRES_LIMITS.queryMs} ms`,
  "timeout exceeded when trying to connect": `no connection to Postgres within ${POSTGRES_LIMITS.connectMs} ms`,
  "Connection terminated due to connection timeout": `no connection to Postgres within ${POSTGRES_LIMITS.connectMs} ms`,
};

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.message === "") return error.errors.map(describe).join("; ") || codeOf(error) || "AggregateError";
  if (error instanceof Error) return DRIVER_MESSAGES[error.message] ?? (error.message || codeOf(error) || error.name);
  return String(error);
}

/**
 * What the journal throws for a database error: one that means Postgres
 * cannot be reached becomes JournalUnavailableError (in plain words), any
 * other is passed on as it is; neither's message holds `databaseUrl`'s
 * password.
 */
export function postgresErrorRethrow(databaseUrl: string): (error: unknown) => unknown {
  const redact = redactor(databaseUrl);
  const unavailable = (error: unknown) => (error instanceof JournalUnavailableError ? error : new JournalUnavailableError(new Error(redact(describe(error)))));
  return (error) => {
    if (isUnreachable(error)) return unavailable(error);
    if (error instanceof Error) error.message = redact(error.message);
    return error;
  };
}
