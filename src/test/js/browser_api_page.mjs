// The "Use via API" page (?view=api) in headless Chromium (run by BrowserUiIT): reached from the footer link, it lists
// every named endpoint of gradio_api/info with its parameters, return type and three snippets. The snippets' text goes
// into the summary, and BrowserUiIT runs them with the real clients.
// Usage: node browser_api_page.mjs CONFIG_JSON   CONFIG_JSON: {playwright, chromium, base, shots}
import assert from "node:assert/strict";
import { openBrowser } from "./browser.mjs";

const cfg = JSON.parse(process.argv[2]);
const { page, shot, close } = await openBrowser(cfg);
const summary = { endpoints: {} };
try {
  await page.goto(cfg.base + "/");
  await page.locator("#api-link").click(); // the footer link, as on Gradio's pages
  await page.waitForURL(/\?view=api$/);
  await page.locator(".endpoint").first().waitFor();
  assert.ok(await page.locator("#tab-text").isHidden(), "the app's inputs give way to the API view");
  const info = await page.evaluate(async () => (await fetch("gradio_api/info")).json());
  const names = Object.keys(info.named_endpoints);
  assert.deepEqual(await page.locator(".endpoint h3").allTextContents(), names, "one section per named endpoint");
  for (const name of names) {
    const section = page.locator("#api-" + name.slice(1));
    const spec = info.named_endpoints[name];
    const params = await section.locator("tr.param td:first-child").allTextContents();
    assert.deepEqual(params, spec.parameters.map((p) => p.parameter_name), name + " parameters");
    const returns = await section.locator(".returns").textContent();
    for (const r of spec.returns) {
      assert.ok(returns.includes(r.python_type.type) && returns.includes(r.component), name + " returns: " + returns);
    }
    const code = await section.locator("pre code").allTextContents();
    assert.equal(code.length, 3, name + ": Python, JavaScript and curl");
    assert.ok(code[0].includes(`api_name="${name}"`) && code[1].includes(`client.predict("${name}"`)
      && code[2].includes("gradio_api/call" + name), name + " snippets name the endpoint");
    summary.endpoints[name] = { python: code[0], js: code[1], curl: code[2] };
  }
  await shot("10-api-page");
} catch (e) {
  await shot("99-api-failure").catch(() => {});
  throw e;
}
await close();
console.log(JSON.stringify(summary));
