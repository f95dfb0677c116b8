// The "Use via API" page (?view=api), as Gradio's own frontend has one: every named endpoint with its parameters,
// its return value and code to paste for gradio_client (Python), @gradio/client (JavaScript) and curl. Everything
// comes from gradio_api/info, the description the clients themselves read, so the page cannot drift from the API.
import { apiUrl, baseUrl } from "./api.js";

const el = (tag, props = {}, ...children) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
};

const isFile = (p) => p.component === "Image" || p.python_type?.type === "filepath";
const EXAMPLE_IMAGE = "path/to/image.jpg";

/** The value a snippet passes: the default when there is one, else the example that /info gives. */
function sample(p) {
  return p.parameter_has_default ? p.parameter_default : p.example_input;
}

const py = (v) => (v === null ? "None" : v === true ? "True" : v === false ? "False" : JSON.stringify(v));

export function pythonSnippet(base, name, params) {
  const files = params.some(isFile);
  const args = params.map((p) => `    ${p.parameter_name}=${isFile(p) ? `handle_file("${EXAMPLE_IMAGE}")` : py(sample(p))},`);
  return [
    `from gradio_client import Client${files ? ", handle_file" : ""}`,
    "",
    `client = Client("${base}")`,
    "result = client.predict(",
    ...args,
    `    api_name="${name}",`,
    ")",
    "print(result)",
  ].join("\n");
}

export function jsSnippet(base, name, params) {
  const files = params.some(isFile);
  const args = params.map((p) => `  ${p.parameter_name}: ${isFile(p) ? "image" : JSON.stringify(sample(p))},`);
  return [
    `import { Client${files ? ", handle_file" : ""} } from "@gradio/client";`,
    ...(files ? ['import { readFile } from "node:fs/promises";', "",
      `const image = handle_file(new Blob([await readFile("${EXAMPLE_IMAGE}")]));`] : []),
    "",
    `const client = await Client.connect("${base}");`,
    `const result = await client.predict("${name}", {`,
    ...args,
    "});",
    "console.log(result.data);",
  ].join("\n");
}

/**
 * curl through the two-step REST protocol: POST the inputs, get an event id, then read its event stream. A file is
 * uploaded first (the server takes files it issued, never URLs). Written for bash: `| read ID` would lose the id in a
 * pipeline's subshell, so command substitution carries it.
 */
export function curlSnippet(base, name, params) {
  const lines = [];
  const data = params.map((p) => {
    if (!isFile(p)) return JSON.stringify(sample(p));
    lines.push(`FILE=$(curl -s -F "files=@${EXAMPLE_IMAGE}" ${base}gradio_api/upload | awk -F'"' '{ print $2 }')`);
    return `{"path": "'"$FILE"'", "meta": {"_type": "gradio.FileData"}}`;
  });
  const api = name.replace(/^\//, "");
  lines.push(
    `EVENT_ID=$(curl -s -X POST ${base}gradio_api/call/${api} -H "Content-Type: application/json" \\`,
    `  -d '{"data": [${data.join(", ")}]}' | awk -F'"' '{ print $4 }')`,
    `curl -N ${base}gradio_api/call/${api}/$EVENT_ID`,
  );
  return lines.join("\n");
}

function codeBlock(lang, text) {
  const code = el("code", { textContent: text });
  const copy = el("button", { type: "button", className: "copy", textContent: "Copy" });
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(text);
      copy.textContent = "Copied";
    } catch {
      getSelection().selectAllChildren(code); // no clipboard access (plain http): select it for Ctrl+C
      copy.textContent = "Selected";
    }
    setTimeout(() => (copy.textContent = "Copy"), 1500);
  });
  return el("div", { className: "snippet" }, el("div", { className: "snippet-head" }, el("span", { textContent: lang }), copy),
    el("pre", { className: "lang-" + lang.toLowerCase().replace(/[^a-z]/g, "") }, code));
}

function typeText(t) {
  return t?.python_type?.type ?? t?.type?.type ?? "";
}

function endpoint(base, name, info) {
  const params = info.parameters;
  const table = el("table", { className: "params" },
    el("thead", {}, el("tr", {}, ...["Parameter", "Type", "Component", "Default"].map((h) => el("th", { textContent: h })))),
    el("tbody", {}, ...params.map((p) => el("tr", { className: "param" },
      el("td", {}, el("code", { textContent: p.parameter_name })),
      el("td", { textContent: typeText(p) + (p.type?.description ? ` (${p.type.description})` : "") }),
      el("td", { textContent: `${p.component} "${p.label}"` }),
      el("td", { textContent: p.parameter_has_default ? JSON.stringify(p.parameter_default) : "required" })))));
  const returns = el("ul", { className: "returns" }, ...info.returns.map((r) => el("li", {},
    el("code", { textContent: typeText(r) }), ` from ${r.component} "${r.label}"`,
    r.python_type?.description ? `: ${r.python_type.description}` : "")));
  return el("article", { className: "endpoint block", id: "api-" + name.replace(/^\//, "") },
    el("h3", {}, el("code", { textContent: name })),
    table,
    el("p", { className: "label", textContent: "Returns" }), returns,
    codeBlock("Python", pythonSnippet(base, name, params)),
    codeBlock("JavaScript", jsSnippet(base, name, params)),
    codeBlock("curl", curlSnippet(base, name, params)));
}

/** Fills the API view from gradio_api/info; a failure is shown in the view itself. */
export async function showApiPage(view) {
  const base = baseUrl();
  view.replaceChildren(el("h2", { textContent: "Use via API" }), el("p", { className: "hint-line" },
    "Install a client with ", el("code", { textContent: "pip install gradio_client" }), " or ",
    el("code", { textContent: "npm i @gradio/client" }), " (curl needs nothing). Every endpoint below is also callable from ",
    el("code", { textContent: "Client.view_api()" }), ". ", el("a", { href: "./", textContent: "Back to the app" })));
  try {
    const res = await fetch(apiUrl("info"));
    if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
    const info = await res.json();
    const names = Object.keys(info.named_endpoints);
    view.append(el("p", { className: "hint-line", textContent: `${names.length} API endpoints: ${names.join(", ")}` }),
      ...names.map((n) => endpoint(base, n, info.named_endpoints[n])));
  } catch (e) {
    view.append(el("p", { className: "error", textContent: "Could not load the API description (gradio_api/info): " + e.message }));
  }
}
