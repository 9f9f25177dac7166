import { gzipSync } from "node:zlib";

/**
 * First-load JavaScript of `/`, gzip: the scripts the HTML of `/` loads
 * (its <script src> tags, less the noModule polyfills modern browsers skip):
 * what `next build` used to print as "First Load JS". `allGzip` adds every
 * other script fetched by 1.5 s after start-up: chunks loaded with import(),
 * such as the mock platform and the canvas (which starts loading at once).
 * Sizes are the files gzipped at level 6, as `next start` compresses them.
 */
export async function measureFirstLoadJs(browser, url, { mock }) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const scripts = new Map();
  page.on("response", (response) => {
    const { pathname } = new URL(response.url());
    if (pathname.startsWith("/_next/static/") && pathname.endsWith(".js")) scripts.set(pathname, response);
  });
  const html = await (await page.goto(`${url}/`, { waitUntil: "load" })).text();
  if (mock) await page.waitForFunction(() => window.__fleetMock !== undefined, undefined, { timeout: 30_000 });
  await page.waitForTimeout(1500);
  const initial = new Set(
    [...html.matchAll(/<script\b([^>]*)>/g)]
      .map(([, attributes]) => attributes)
      .filter((attributes) => !/\bnoModule\b/i.test(attributes))
      .flatMap((attributes) => attributes.match(/\bsrc="([^"]+)"/)?.[1] ?? [])
      .map((src) => new URL(src, url).pathname),
  );
  let all = 0;
  let initialBytes = 0;
  const files = [];
  for (const [pathname, response] of scripts) {
    const body = await response.body();
    const gzip = gzipSync(body, { level: 6 }).length;
    all += gzip;
    if (initial.has(pathname)) initialBytes += gzip;
    files.push({ path: pathname, raw: body.length, gzip, initial: initial.has(pathname) });
  }
  await context.close();
  files.sort((a, b) => b.gzip - a.gzip);
  return { allGzip: all, initialGzip: initialBytes, files };
}
