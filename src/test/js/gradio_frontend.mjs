// Gradio's own frontend against clip-search, in Debian's headless Chromium through playwright-core (run by
// GradioFrontendIT). Usage: node gradio_frontend.mjs CONFIG_JSON
//   CONFIG_JSON: {playwright, chromium, shots, k, probe, probeName, hostPort, frontends: {version: dir},
//                 defaultServer, gradioServer, allowedHost}
//   defaultServer: the server with the hand-built page and Gradio's default CORS policy
//   gradioServer:  the server started with --ui gradio and --cors-origin http://<allowedHost>:<hostPort>
// A second origin (a small server here, on hostPort) plays a team's documentation site: under /team/docs/<version>/
// it serves a page with <script type="module" src="gradio.js"> and <gradio-app src=SERVER>, next to a copy of that
// Gradio version's frontend, as a site that hosts Gradio's embed script would. Every request to the clip-search
// servers is recorded; a status >= 400 or a request that failed before any response fails the run. (The frontend
// aborts each event stream once the server has closed it; those had their 200 and are not failures.) Requests to
// any other host (the iframe resizer that 4.x/5.x pages load from a CDN) are blocked and listed in the summary.
import assert from "node:assert/strict";
import { createReadStream, mkdtempSync, rmSync, statSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";

const cfg = JSON.parse(process.argv[2]);
const { chromium } = createRequire(join(cfg.playwright, "package.json"))("playwright-core");
const summary = { scenarios: {} };
const servers = [cfg.defaultServer, cfg.gradioServer].map((u) => new URL(u).origin);
const localHosts = new Set(["127.0.0.1", "localhost", cfg.allowedHost]);

// --- the second origin ----------------------------------------------------------------------------------------------
const TYPES = { ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".woff2": "font/woff2",
  ".json": "application/json", ".html": "text/html; charset=utf-8", ".wasm": "application/wasm" };

function embedPage(server) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Team docs: image search</title>
<script type="module" src="gradio.js"></script>
<style>body { font-family: sans-serif; max-width: 1100px; margin: 0 auto; padding: 16px; }</style></head>
<body><h1>Find a photo</h1><p>The search below is our clip-search server, embedded with Gradio's web component.</p>
<gradio-app src="${server}"></gradio-app></body></html>`;
}

const host = http.createServer((req, res) => {
  const url = new URL(req.url, "http://host");
  // /team/docs/<version>/[file]; 4.x preloads its stylesheet from /assets/ at the site root, so that follows the
  // version of the page that asked (its Referer).
  let m = url.pathname.match(/^\/team\/docs\/([\d.]+)\/(.*)$/);
  if (!m && url.pathname.startsWith("/assets/")) {
    const from = (req.headers.referer ?? "").match(/\/team\/docs\/([\d.]+)\//);
    m = from && [null, from[1], url.pathname.slice(1)];
  }
  const dir = m && cfg.frontends[m[1]];
  if (!dir) {
    res.writeHead(404).end("not found");
    return;
  }
  if (m[2] === "") {
    const server = url.searchParams.get("server");
    res.writeHead(200, { "content-type": TYPES[".html"] }).end(embedPage(server));
    return;
  }
  const file = normalize(join(dir, decodeURIComponent(m[2])));
  if (!file.startsWith(dir) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
    res.writeHead(404).end("not found");
    return;
  }
  res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
  createReadStream(file).pipe(res);
});
await new Promise((resolve) => host.listen(cfg.hostPort, "127.0.0.1", resolve));

// --- the browser ----------------------------------------------------------------------------------------------------
const profile = mkdtempSync(join(tmpdir(), "clip-gradio-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: cfg.chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", `--host-resolver-rules=MAP ${cfg.allowedHost} 127.0.0.1`],
  viewport: { width: 1280, height: 900 },
});
const blocked = new Set();
await context.route((url) => !localHosts.has(url.hostname), (route) => {
  blocked.add(new URL(route.request().url()).origin);
  return route.abort();
});
const page = context.pages()[0] ?? (await context.newPage());
page.setDefaultTimeout(60_000);
const cdp = await context.newCDPSession(page);
await cdp.send("Network.enable");

/** Records, for one scenario, every request to the clip-search servers and the host, and what went wrong. */
function watch() {
  const seen = [];
  const failed = [];
  const errors = [];
  const answered = new Set();
  let bytes = 0;
  const onResponse = (r) => {
    answered.add(r.request());
    const u = new URL(r.url());
    if (servers.includes(u.origin)) seen.push(`${r.status()} ${r.request().method()} ${u.pathname}`);
    if (r.status() >= 400) failed.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  };
  const onFailed = (r) => {
    if (!answered.has(r) && localHosts.has(new URL(r.url()).hostname)) failed.push(`${r.failure()?.errorText} ${r.url()}`);
  };
  const onError = (e) => errors.push(String(e));
  const onBytes = (e) => { bytes += e.encodedDataLength; };
  page.on("response", onResponse);
  page.on("requestfailed", onFailed);
  page.on("pageerror", onError);
  cdp.on("Network.loadingFinished", onBytes);
  return {
    bytes: () => bytes,
    end(name) {
      page.off("response", onResponse);
      page.off("requestfailed", onFailed);
      page.off("pageerror", onError);
      cdp.off("Network.loadingFinished", onBytes);
      const routes = [...new Set(seen.map((s) => s.replace(/(session_hash=|file=|upload_id=|v=).*/, "$1…")))].sort();
      summary.scenarios[name] = { requests: seen.length, routes, failed, errors };
      assert.deepEqual(failed, [], `${name}: failed requests`);
      assert.deepEqual(errors, [], `${name}: script errors`);
    },
  };
}

const shot = (name) => page.screenshot({ path: join(cfg.shots, name + ".png"), fullPage: true });
const app = page.locator("gradio-app");

/**
 * Waits for a gallery of n results whose first image has loaded from the server (the gallery loads the others lazily,
 * as they scroll into view); returns every result's URL.
 */
async function gallery(n) {
  const thumbs = "gradio-app .thumbnail-item img";
  await page.waitForFunction(([sel, n]) => {
    const imgs = [...document.querySelectorAll(sel)];
    return imgs.length === n && imgs[0].complete && imgs[0].naturalWidth > 0;
  }, [thumbs, n]);
  const srcs = await page.locator(thumbs).evaluateAll((imgs) => imgs.map((i) => i.src));
  assert.ok(srcs.every((s) => /\/gradio_api\/file=/.test(s)), JSON.stringify(srcs));
  return srcs;
}

async function textSearch(query) {
  await app.getByRole("tab", { name: "Search by text" }).click();
  await app.getByLabel("Query").fill(query);
  await app.getByRole("button", { name: "Search", exact: true }).click();
}

try {
  // 1. Embedded from a second origin (localhost, granted by Gradio's default policy), page under a sub-path: the
  //    5.49.1 frontend, the version the server's /config claims. Text search, image search, an error toast.
  let w = watch();
  await page.goto(`http://localhost:${cfg.hostPort}/team/docs/5.49.1/?server=${encodeURIComponent(cfg.defaultServer)}`);
  await app.getByRole("button", { name: "Search", exact: true }).waitFor();
  // Themed, not raw HTML: the theme's primary colour reached the selected tab, and the tabs hide what is not selected.
  const tabColour = await app.getByRole("tab", { name: "Search by text" }).evaluate((t) => getComputedStyle(t).color);
  assert.equal(tabColour, "rgb(249, 115, 22)", "selected tab in the theme's primary-500");
  assert.equal(await app.getByRole("button", { name: "Ingest" }).isVisible(), false, "other tabs are hidden");
  await textSearch("a photo of a dog");
  summary.textResults = (await gallery(cfg.k)).length;
  await shot("gradio-embed-5.49.1-text");

  await app.getByRole("tab", { name: "Search by image" }).click();
  await app.getByRole("tabpanel").locator('input[type="file"]').setInputFiles(cfg.probe);
  await app.getByRole("tabpanel").locator('img[src*="file="]').waitFor(); // the upload's preview
  await app.getByRole("button", { name: "Search by image" }).click();
  await page.waitForFunction((name) => document.querySelector("gradio-app .thumbnail-item img")?.src.endsWith(name),
    cfg.probeName); // the stored copy of the probe comes first
  summary.imageResults = (await gallery(cfg.k)).length;
  await shot("gradio-embed-5.49.1-image");

  await textSearch("");
  const toast = app.getByTestId("toast-body");
  await toast.waitFor();
  assert.match(await toast.textContent(), /Please enter a search query/);
  await shot("gradio-embed-5.49.1-error");
  w.end("embed-5.49.1");

  // 2. The other majors' frontends embedded the same way: a text search each.
  for (const version of Object.keys(cfg.frontends).filter((v) => v !== "5.49.1")) {
    w = watch();
    await page.goto(`http://localhost:${cfg.hostPort}/team/docs/${version}/?server=${encodeURIComponent(cfg.defaultServer)}`);
    await textSearch("a bird");
    await gallery(cfg.k);
    await shot(`gradio-embed-${version}-text`);
    w.end(`embed-${version}`);
  }

  // 3. --ui gradio: Gradio's page at the server's root; its weight is everything loaded until the network is idle.
  w = watch();
  await page.goto(cfg.gradioServer + "/");
  await app.getByRole("button", { name: "Search", exact: true }).waitFor();
  await page.waitForLoadState("networkidle");
  summary.gradioPageBytes = w.bytes();
  await textSearch("a fish");
  await gallery(cfg.k);
  await shot("gradio-ui-text");
  w.end("ui-gradio");

  // 4. The same server only grants the origin named by --cors-origin: the embed from there works ...
  w = watch();
  await page.goto(`http://${cfg.allowedHost}:${cfg.hostPort}/team/docs/5.49.1/?server=${encodeURIComponent(cfg.gradioServer)}`);
  await textSearch("a cat");
  await gallery(cfg.k);
  await shot("gradio-embed-allowed-origin");
  w.end("embed-cors-origin");

  // ... and a page on any other origin cannot read its answers.
  await page.goto(`http://localhost:${cfg.hostPort}/team/docs/5.49.1/gradio.js`);
  const refused = await page.evaluate((s) => fetch(s + "/config").then(() => "read", (e) => "refused: " + e.message),
    cfg.gradioServer);
  assert.match(refused, /^refused/, "an origin not in --cors-origin is not granted");

  // 5. The hand-built page's weight, measured the same way, for comparison.
  w = watch();
  await page.goto(cfg.defaultServer + "/");
  await page.locator("#count").waitFor();
  await page.waitForLoadState("networkidle");
  summary.defaultPageBytes = w.bytes();
  w.end("ui-default");
} catch (e) {
  await shot("gradio-99-failure").catch(() => {});
  throw e;
} finally {
  await context.close();
  host.close();
  rmSync(profile, { recursive: true, force: true });
}
summary.blockedOrigins = [...blocked].sort();
console.log(JSON.stringify(summary));
