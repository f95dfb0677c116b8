// Drives the real @gradio/client (npm) against a clip-search server (run by GradioJsClientCompatIT).
// Usage: node gradio_client_compat.mjs CLIENT_DIR BASE_URL IMAGE_PNG
//   CLIENT_DIR holds node_modules/@gradio/client (installed by src/scripts/setup.d/20-clients.sh, outside the repo).
// Same sequence as fixtures/gradio/client_runs/jsclient-*: connect, view_api, predict with named and positional
// arguments, iterate submit(), upload + ingest and upload + search_image; plus an error case. Every check throws on
// failure; the last stdout line is a JSON summary.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import assert from "node:assert/strict";

const [clientDir, url, png] = process.argv.slice(2);
// Resolve the ESM entry by hand: 1.5.2 exports only an "import" condition, so require.resolve cannot find it.
const pkgDir = join(clientDir, "node_modules", "@gradio", "client");
const pkg = JSON.parse(await readFile(join(pkgDir, "package.json"), "utf8"));
const dot = pkg.exports?.["."] ?? {};
const entry = (typeof dot === "string" ? dot : dot.import ?? dot.default) ?? pkg.module ?? pkg.main;
const { Client, handle_file } = await import(pathToFileURL(join(pkgDir, entry)));
const version = pkg.version;

const summary = { client: version };
const app = await Client.connect(url);
assert.equal(app.config.protocol, "sse_v3");
assert.equal(app.config.root, url, "config.root is used verbatim as the base of every call");

const api = await app.view_api();
assert.deepEqual(Object.keys(api.named_endpoints).sort(), ["/ingest", "/search", "/search_image"]);

const named = await app.predict("/search", { query: "a white dog", top_k: 2 });
assert.equal(named.data[0].length, 2);
const item = named.data[0][0];
assert.equal(item.image.meta._type, "gradio.FileData");
assert.ok(item.image.url.startsWith(url + "/gradio_api/file="), item.image.url);
const img = await fetch(item.image.url); // what a browser <img> does
assert.equal(img.status, 200);
assert.equal(img.headers.get("content-type"), "image/png");
summary.caption = item.caption;

const positional = await app.predict("/search", ["a cat", 1]);
assert.equal(positional.data[0].length, 1);

const defaulted = await app.predict("/search", { query: "dog" }); // top_k from parameter_default
summary.defaulted_len = defaulted.data[0].length;

let submitted = null;
for await (const msg of app.submit("/search", { query: "dog", top_k: 1 })) {
  if (msg.type === "data") { submitted = msg.data; break; }
}
assert.equal(submitted[0].length, 1);

const blob = new Blob([await readFile(png)], { type: "image/png" });
const ingest = await app.predict("/ingest", { image: handle_file(blob), caption: "green" });
assert.ok(String(ingest.data[0]).startsWith("stored "), ingest.data[0]);
summary.ingest = ingest.data[0];

const byImage = await app.predict("/search_image", { image: handle_file(blob), top_k: 2 });
assert.equal(byImage.data[0].length, 2);
summary.by_image_len = byImage.data[0].length;

try {
  await app.predict("/search", { query: "", top_k: 1 });
  throw new Error("an empty query must reject");
} catch (e) {
  summary.error = e && (e.message ?? e);
}

app.close?.();
console.log(JSON.stringify(summary));
process.exit(0);
