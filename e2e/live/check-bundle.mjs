// Checks a live build for leaks: the platform token and MSW (mock) code must
// not be in anything the browser can download.
//
//   PLATFORM_TOKEN=… node e2e/live/check-bundle.mjs [.next] [--token VALUE] [--marker TEXT]…
//
// Scans .next/static/** (client bundle) and the prerendered output under
// .next/server/app and .next/server/pages (*.html, *.rsc, *.body, *.meta).
// Prefer the PLATFORM_TOKEN variable over --token: arguments show in `ps`.
// Exit 0: clean. Exit 1: leaks found (listed; the token is never printed).
// Exit 2: bad usage or not a built .next directory.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const MSW_MARKERS = ["mockServiceWorker", "MSW_", "[MSW]", "MOCK_ACTIVATE", "INTEGRITY_CHECK_REQUEST"];
const PRERENDERED = /\.(html|rsc|body|meta)$/;
const MIN_TOKEN_LENGTH = 8;

function usage(message) {
  console.error(`check-bundle: ${message}`);
  console.error("usage: PLATFORM_TOKEN=… node e2e/live/check-bundle.mjs [path/to/.next] [--token VALUE] [--marker TEXT]…");
  process.exit(2);
}

function parseArgs(argv) {
  const options = { dir: ".next", token: process.env.PLATFORM_TOKEN?.trim() ?? "", markers: [...MSW_MARKERS] };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === "--token" || arg === "--marker") {
      const value = argv[++i];
      if (!value) usage(`${arg} needs a value`);
      if (arg === "--token") options.token = value;
      else options.markers.push(value);
    } else if (arg.startsWith("--")) usage(`unknown option ${arg}`);
    else options.dir = arg;
  }
  if (!options.token) usage("no token: set PLATFORM_TOKEN (or pass --token) to the value the live build was made for");
  if (options.token.length < MIN_TOKEN_LENGTH) usage(`the token is shorter than ${MIN_TOKEN_LENGTH} characters; too short to scan for without false alarms`);
  return options;
}

function* walk(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}

/** The token as it would appear raw, JSON-escaped or base64-encoded. */
function tokenNeedles(token) {
  const forms = new Set([token, JSON.stringify(token).slice(1, -1), Buffer.from(token).toString("base64").replace(/=+$/, "")]);
  return [...forms].map((form) => Buffer.from(form));
}

function main() {
  const { dir, token, markers } = parseArgs(process.argv.slice(2));
  if (!existsSync(path.join(dir, "BUILD_ID")) || !statSync(path.join(dir, "static"), { throwIfNoEntry: false })?.isDirectory()) {
    usage(`${dir} is not a built Next.js directory (no BUILD_ID or static/): run \`next build\` with PLATFORM_URL set first`);
  }
  const files = [
    ...walk(path.join(dir, "static")),
    ...[...walk(path.join(dir, "server", "app")), ...walk(path.join(dir, "server", "pages"))].filter((file) => PRERENDERED.test(file)),
  ];
  const needles = tokenNeedles(token);
  const markerNeedles = markers.map((marker) => [marker, Buffer.from(marker)]);
  const findings = [];
  for (const file of files) {
    const content = readFileSync(file);
    if (needles.some((needle) => content.includes(needle))) findings.push(`${file}: contains the platform token`);
    for (const [marker, needle] of markerNeedles) if (content.includes(needle)) findings.push(`${file}: contains mock marker ${JSON.stringify(marker)}`);
  }
  if (findings.length > 0) {
    console.error(`check-bundle: FAILED, ${findings.length} finding(s) in ${dir} (scanned ${files.length} files):`);
    for (const finding of findings.slice(0, 50)) console.error(`  ${finding}`);
    if (findings.length > 50) console.error(`  … and ${findings.length - 50} more`);
    process.exit(1);
  }
  console.log(`check-bundle: ok, no token and no mock markers in ${files.length} files under ${dir}`);
}

main();
