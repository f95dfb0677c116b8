// What the browser scripts run by BrowserUiIT share: headless Debian Chromium through ui/'s playwright-core, a page
// that records script errors, screenshots into cfg.shots, and a close that checks no script error happened.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** cfg: {playwright (the folder holding node_modules/playwright-core), chromium, shots}. */
export async function openBrowser(cfg) {
  const { chromium } = createRequire(join(cfg.playwright, "package.json"))("playwright-core");
  const profile = mkdtempSync(join(tmpdir(), "clip-ui-chromium-"));
  // The CI network is closed: no sandbox (root in a container), no GPU, none of Chromium's own background traffic.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: cfg.chromium,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  page.setDefaultTimeout(30_000);
  return {
    context,
    page,
    shot: (name) => page.screenshot({ path: join(cfg.shots, name + ".png"), fullPage: true }),
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      assert.deepEqual(pageErrors, [], "no script errors on the page");
    },
  };
}
