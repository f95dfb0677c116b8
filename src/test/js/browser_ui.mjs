// Drives the web page in headless Debian Chromium through playwright-core (run by BrowserUiIT).
// Usage: node browser_ui.mjs CONFIG_JSON
//   CONFIG_JSON: {playwright, chromium, base, shots, k, probe, probeName, addImage, addName, badFile, badName}
//   playwright: the directory holding node_modules/playwright-core (ui/, installed by src/scripts/setup.sh --test)
// Every check throws on failure; a screenshot of each state goes to `shots`; the last stdout line is a JSON summary.
import assert from "node:assert/strict";
import { openBrowser } from "./browser.mjs";
import { startProxy } from "./subpath_proxy.mjs";

const cfg = JSON.parse(process.argv[2]);
const summary = {};
const { context, page, shot, close } = await openBrowser(cfg);

// Bytes on the wire (headers + encoded bodies) as Chromium's network layer counts them.
const cdp = await context.newCDPSession(page);
await cdp.send("Network.enable");
let wire = 0;
let requests = 0;
cdp.on("Network.loadingFinished", (e) => { wire += e.encodedDataLength; requests++; });
const meter = () => { wire = 0; requests = 0; };

const tiles = page.locator("#gallery .tile");
const toast = page.locator(".toast").last();

/** Waits until the gallery shows n tiles whose thumbnails have all loaded; returns their captions. */
async function results(n) {
  await page.waitForFunction((n) => {
    const imgs = [...document.querySelectorAll("#gallery .tile img")];
    return imgs.length === n && imgs.every((i) => i.complete && i.naturalWidth > 0);
  }, n);
  return tiles.evaluateAll((ts) => ts.map((t) => ({
    name: t.querySelector(".name").textContent, score: t.querySelector(".score").textContent,
    src: t.querySelector("img").currentSrc, width: t.querySelector("img").naturalWidth,
  })));
}

/** Empties the gallery first, so that waiting for results cannot match the previous search's tiles. */
const forget = () => page.evaluate(() => document.getElementById("gallery").replaceChildren());

async function setK(k) {
  await page.locator("#k").evaluate((el, k) => { el.value = String(k); el.dispatchEvent(new Event("input")); }, k);
}

async function searchText(query, k) {
  await page.locator("#tab-text").click();
  await setK(k);
  await page.locator("#query").fill(query);
  await forget();
  await page.locator("#query").press("Enter"); // Enter submits, as in Gradio
}

async function searchImage(file) {
  await page.locator("#tab-image").click();
  await page.locator("#probe-file").setInputFiles(file);
  await forget();
  await page.locator("#search-image").click();
}

// The steps run in one try so that a failure leaves a screenshot of the state it failed in.
try {
  // 1. The page loads and shows the collection size.
  meter();
  await page.goto(cfg.base + "/");
  await page.locator("#count").waitFor();
  const before = Number((await page.locator("#count").textContent()).match(/[\d,]+/)[0].replace(/,/g, ""));
  summary.collection = before;
  summary.pageLoadBytes = wire;
  await shot("01-loaded");

  // 2. An empty query is refused with a clear message, without a request.
  await page.locator("#search").click();
  await toast.waitFor();
  assert.match(await toast.textContent(), /Please enter a search query/);
  await shot("02-empty-query");
  await page.evaluate(() => document.querySelectorAll(".toast").forEach((t) => t.remove()));

  // 3. A text search shows K thumbnails with file-name and score captions; bytes measured from Enter to the last image.
  meter();
  await searchText("a photo of a dog", cfg.k);
  const found = await results(cfg.k);
  summary.searchBytes = wire;
  summary.searchRequests = requests;
  for (const r of found) {
    assert.match(r.name, /\.\w+$/, "caption names a file");
    assert.match(r.score, /^-?\d\.\d{3}$/, "caption has a score");
    assert.match(r.src, /\/gradio_api\/thumb=.*\?s=256$/, "the gallery loads thumbnails");
    assert.ok(r.width <= 256, "thumbnail is small: " + r.width);
  }
  summary.firstResult = found[0];
  // For comparison: what the same gallery would cost with the original files (their Content-Length, via HEAD).
  summary.originalsBytes = await page.evaluate((srcs) => Promise.all(srcs.map((s) =>
    fetch(s.replace("/thumb=", "/file=").replace(/\?s=\d+$/, ""), { method: "HEAD" })
      .then((r) => Number(r.headers.get("content-length"))))).then((a) => a.reduce((x, y) => x + y, 0)),
    found.map((r) => r.src));
  await shot("03-text-search");

  // 4. A click enlarges: the full file, not the thumbnail.
  await tiles.first().click();
  await page.waitForFunction(() => {
    const i = document.getElementById("lightbox-img");
    return document.getElementById("lightbox").open && i.complete && i.naturalWidth > 0;
  });
  const full = await page.locator("#lightbox-img").evaluate((i) => ({ src: i.currentSrc, width: i.naturalWidth }));
  assert.match(full.src, /\/gradio_api\/file=/);
  assert.ok(full.width > 256, "the enlarged image is the original: " + full.width);
  await shot("04-enlarged");
  await page.keyboard.press("Escape");

  // 5. Search by an uploaded image: the stored copy of that image comes first with cosine similarity 1.
  await searchImage(cfg.probe);
  const byImage = await results(cfg.k);
  assert.equal(byImage[0].name, cfg.probeName);
  assert.equal(byImage[0].score, "1.000");
  await shot("05-image-search");

  // 6. Adding images: one good, one broken; progress completes, the summary names the failure, the count grows.
  await page.locator("#tab-add").click();
  await page.locator("#add-files").setInputFiles([cfg.addImage, cfg.badFile]);
  await page.locator("#ingest").click();
  await page.waitForFunction(() => /^Added/.test(document.getElementById("add-summary").textContent));
  assert.equal(await page.locator("#add-summary").textContent(), `Added 1 of 2 images; 1 failed (${cfg.badName}).`);
  assert.equal(await page.locator("#add-progress").evaluate((p) => p.value), 1);
  await page.waitForFunction((n) => document.getElementById("count").textContent.startsWith(String(n + 1)), before);
  await shot("06-ingest");

  // 7. The new image is found: searching by it returns the uploaded copy first.
  await page.evaluate(() => document.querySelectorAll(".toast").forEach((t) => t.remove()));
  await searchImage(cfg.addImage);
  const again = await results(cfg.k);
  assert.equal(again[0].name, cfg.addName);
  assert.equal(again[0].score, "1.000");
  await shot("07-new-image-found");

  // 8. Phone width: no sideways scrolling, results still shown.
  await page.setViewportSize({ width: 390, height: 844 });
  await searchText("a red car", 4);
  await results(4);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), "no horizontal scroll at 390 px");
  await shot("08-phone");

  // 9. Behind a proxy under a sub-path (/clip/): page, API calls and thumbnails all resolve under the prefix.
  const proxy = await startProxy(cfg.base, "/clip");
  try {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(proxy.url + "/clip/");
    await page.locator("#count").waitFor();
    await searchText("a bird", 3);
    const sub = await results(3);
    assert.ok(sub.every((r) => r.src.startsWith(proxy.url + "/clip/gradio_api/thumb=")), JSON.stringify(sub));
    summary.subPathRequests = proxy.seen();
    await shot("09-subpath");
  } finally {
    proxy.close();
  }
} catch (e) {
  await shot("99-failure").catch(() => {});
  throw e;
}

await close();
console.log(JSON.stringify(summary));
