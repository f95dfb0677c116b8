// Serving while ingesting, in headless Chromium (run by BrowserUiIT): the server was started over a large folder and
// is still ingesting it. The page shows the progress (done/total, rate, time left), a search answers from what is
// stored so far, and the progress keeps moving after it.
// Usage: node browser_ingest.mjs CONFIG_JSON   CONFIG_JSON: {playwright, chromium, base, shots, query, k}
import assert from "node:assert/strict";
import { openBrowser } from "./browser.mjs";

const cfg = JSON.parse(process.argv[2]);
const { page, shot, close } = await openBrowser(cfg);
const summary = {};
const status = page.locator("#ingest-status");
const collection = () => page.evaluate(async () => (await fetch("gradio_api/collection")).json());
const progress = async () => (await collection()).ingest;
/** Waits (up to 2 minutes) until at least n images are stored; returns how many are. */
async function stored(n) {
  for (const end = Date.now() + 120_000; Date.now() < end; await page.waitForTimeout(500)) {
    const { images } = await collection();
    if (images >= n) return images;
  }
  throw new Error(`fewer than ${n} images stored after 2 minutes: ${JSON.stringify(await collection())}`);
}
try {
  await page.goto(cfg.base + "/");
  await page.waitForSelector("#ingest-status[data-state=running]");
  summary.textAtLoad = await page.locator("#ingest-text").textContent();
  assert.match(summary.textAtLoad, /^[\d,]+ \/ [\d,]+ images · [\d.]+ img\/s/, summary.textAtLoad);
  await shot("11-ingesting");

  // Rows reach the store a chunk at a time (256 files): search once the first ones are there, as a user would who
  // sees the count in the header, so the answer cannot be empty because nothing was written yet.
  summary.storedAtSearch = await stored(cfg.k);

  await page.locator("#k").evaluate((el, k) => { el.value = String(k); el.dispatchEvent(new Event("input")); }, cfg.k);
  await page.locator("#query").fill(cfg.query);
  const answer = page.waitForResponse((r) => r.url().includes("/call/search/"));
  await page.locator("#query").press("Enter");
  summary.searchStream = (await (await answer).text()).slice(0, 2000);
  await page.waitForFunction((k) => {
    const imgs = [...document.querySelectorAll("#gallery .tile img")];
    return imgs.length === k && imgs.every((i) => i.complete && i.naturalWidth > 0);
  }, cfg.k);
  summary.results = await page.locator("#gallery .tile").count();
  const after = await progress();
  summary.afterSearch = after;
  assert.equal(after.state, "running", "the search was answered while the ingest ran: " + JSON.stringify(after));
  assert.ok(after.done < after.total, JSON.stringify(after));

  // The bar moves on its own (the page polls): wait for a later count than the one seen after the search.
  await page.waitForFunction((done) => {
    const m = /^([\d,]+) \//.exec(document.getElementById("ingest-text").textContent);
    return m && Number(m[1].replace(/,/g, "")) > done;
  }, after.done, { timeout: 60_000 });
  summary.textLater = await page.locator("#ingest-text").textContent();
  summary.barValue = await page.locator("#ingest-bar").evaluate((b) => b.value);
  assert.ok(summary.barValue > 0 && summary.barValue < 1, String(summary.barValue));
  assert.ok(await status.isVisible());
  await shot("12-search-while-ingesting");
} catch (e) {
  await shot("99-ingest-failure").catch(() => {});
  throw e;
}
await close();
console.log(JSON.stringify(summary));
