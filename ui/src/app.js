// Wires the page: tabs, search by text (Enter or the button), search by image (drop, choose or paste), adding
// images with progress, the collection size and the server's background ingest, error toasts, and the API view
// (?view=api). The protocol lives in api.js, rendering in gallery.js and api-page.js.
import { call, upload, fileInput, collectionStatus, UserError } from "./api.js";
import { show } from "./gallery.js";
import { showApiPage } from "./api-page.js";

const $ = (id) => document.getElementById(id);
const isImage = (f) => f.type.startsWith("image/") || /\.(jpe?g|png|gif|bmp|webp)$/i.test(f.name);

// --- errors: Gradio-style toasts, top right ---------------------------------------------------------------------
function toast(message, kind = "error") {
  const t = document.createElement("div");
  t.className = "toast " + kind;
  t.setAttribute("role", "alert");
  const title = document.createElement("strong");
  title.textContent = kind === "error" ? "Error" : "Info";
  const text = document.createElement("p");
  text.textContent = message;
  t.append(title, text);
  t.addEventListener("click", () => t.remove());
  $("toasts").append(t);
  setTimeout(() => t.remove(), 8000);
}
const report = (e) => toast(e instanceof UserError ? e.message : "Unexpected error: " + e);

// --- tabs ---------------------------------------------------------------------------------------------------------
const tabs = [...document.querySelectorAll("[role=tab]")];
for (const tab of tabs) {
  tab.addEventListener("click", () => {
    for (const t of tabs) {
      t.setAttribute("aria-selected", String(t === tab));
      $(t.getAttribute("aria-controls")).hidden = t !== tab;
    }
  });
}

// --- collection size and the server's background ingest ----------------------------------------------------------
const clock = (s) => (s >= 3600 ? `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`
  : s >= 60 ? `${Math.round(s / 60)} min` : `${s} s`);

function showIngest(p) {
  const box = $("ingest-status");
  box.hidden = p == null;
  if (p == null) return;
  const n = (x) => x.toLocaleString("en-US");
  $("ingest-bar").value = p.total > 0 ? p.done / p.total : p.state === "done" ? 1 : 0;
  const failed = p.failed ? `, ${n(p.failed)} failed` : "";
  $("ingest-text").textContent =
    p.state === "scanning" ? `Looking through ${p.folder}… Searches already answer from what is stored.`
    : p.state === "running" ? `${n(p.done)} / ${n(p.total)} images · ${p.images_per_second} img/s` +
      (p.eta_seconds != null ? ` · about ${clock(p.eta_seconds)} left` : "") + failed +
      ". Searches answer from what is stored so far."
    : p.state === "done" ? `Done: ${n(p.done)} of ${n(p.total)} images processed from ${p.folder}${failed}.`
    : `The ingest ${p.state === "failed" ? "failed" : "stopped"} after ${n(p.done)} of ${n(p.total)} images` +
      (p.error ? `: ${p.error}` : ".");
  box.dataset.state = p.state;
}

let polling = null;
async function refreshCount() {
  const { images: n, ingest } = await collectionStatus();
  $("count").hidden = n == null;
  if (n != null) $("count").textContent = `${n.toLocaleString("en-US")} image${n === 1 ? "" : "s"} indexed`;
  showIngest(ingest);
  // While the server ingests, poll; once it is over, one last refresh has already shown the final count.
  const active = ingest != null && (ingest.state === "scanning" || ingest.state === "running");
  if (active && polling == null) polling = setInterval(refreshCount, 2000);
  if (!active && polling != null) {
    clearInterval(polling);
    polling = null;
  }
}

// --- searching: one at a time, with Gradio's "pending" overlay and elapsed time --------------------------------------
const topK = () => Number($("k").value);
$("k").addEventListener("input", () => ($("k-out").textContent = $("k").value));
let busy = false;

async function runSearch(name, data, button) {
  if (busy) return;
  busy = true;
  button.disabled = true;
  const started = performance.now();
  const pending = $("pending");
  const tick = () => (pending.textContent = `processing | ${((performance.now() - started) / 1000).toFixed(1)}s`);
  tick();
  pending.hidden = false;
  const timer = setInterval(tick, 100);
  try {
    const [results] = await call(name, data);
    show(results);
  } catch (e) {
    report(e);
  } finally {
    clearInterval(timer);
    pending.hidden = true;
    button.disabled = false;
    busy = false;
  }
}

$("text-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const q = $("query").value.trim();
  if (!q) return toast("Please enter a search query.");
  runSearch("search", [q, topK()], $("search"));
});

// --- search by image: the probe is uploaded once, then searched like any stored image ---------------------------------
let probe = null; // {file, path?}

function setProbe(file) {
  if (!isImage(file)) return toast(`\u201c${file.name}\u201d is not an image file (JPEG, PNG, GIF, BMP or WebP).`);
  probe = { file };
  const img = $("probe-preview");
  if (img.src) URL.revokeObjectURL(img.src);
  img.src = URL.createObjectURL(file);
  img.hidden = false;
}

function dropZone(zone, input, take) {
  zone.addEventListener("click", () => input.click());
  zone.addEventListener("keydown", (e) => (e.key === "Enter" || e.key === " ") && input.click());
  input.addEventListener("change", () => input.files.length && take([...input.files]));
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    zone.classList.remove("over");
    if (e.dataTransfer.files.length) take([...e.dataTransfer.files]);
  });
}
dropZone($("probe-drop"), $("probe-file"), (files) => setProbe(files[0]));

// A pasted image goes to the image search, whatever has focus (text pastes into the query box are left alone).
document.addEventListener("paste", (e) => {
  const file = [...(e.clipboardData?.files || [])].find(isImage);
  if (!file) return;
  e.preventDefault();
  $("tab-image").click();
  setProbe(file);
});

$("search-image").addEventListener("click", async () => {
  if (!probe) return toast("Please choose, drop or paste an image first.");
  if (busy) return;
  try {
    probe.path ??= await upload(probe.file);
  } catch (e) {
    return report(e);
  }
  runSearch("search_image", [fileInput(probe.path), topK()], $("search-image"));
});

// --- adding images: upload then ingest each file, two at a time, with one progress bar ------------------------------
let chosen = [];
dropZone($("add-drop"), $("add-files"), (files) => {
  chosen = files;
  $("add-hint").textContent = `${files.length} file${files.length === 1 ? "" : "s"} chosen: ` +
    files.slice(0, 5).map((f) => f.name).join(", ") + (files.length > 5 ? ", \u2026" : "");
});

$("ingest").addEventListener("click", async () => {
  if (!chosen.length) return toast("Please choose images to add first.");
  const files = chosen;
  chosen = [];
  $("ingest").disabled = true;
  $("add-status").hidden = false;
  const log = $("add-log");
  log.replaceChildren();
  const progress = $("add-progress");
  const done = new Array(files.length).fill(0); // per file: upload counts for 0.5, ingest for the rest
  const update = () => (progress.value = done.reduce((a, b) => a + b, 0) / files.length);
  let ok = 0;
  const failed = [];
  const line = (text, cls) => {
    const li = document.createElement("li");
    li.textContent = text;
    li.className = cls;
    log.append(li);
  };
  async function one(i) {
    const f = files[i];
    try {
      if (!isImage(f)) throw new UserError("not an image file");
      const path = await upload(f, (x) => { done[i] = x / 2; update(); });
      const [status] = await call("ingest", [fileInput(path), ""]);
      ok++;
      line(`${f.name}: ${status}`, "ok");
    } catch (e) {
      failed.push(f.name);
      line(`${f.name}: ${e instanceof UserError ? e.message : e}`, "fail");
    }
    done[i] = 1;
    update();
    $("add-summary").textContent = `${ok + failed.length} of ${files.length} processed\u2026`;
  }
  let next = 0;
  const worker = async () => { while (next < files.length) await one(next++); };
  await Promise.all([worker(), worker()]);
  $("add-summary").textContent = `Added ${ok} of ${files.length} image${files.length === 1 ? "" : "s"}` +
    (failed.length ? `; ${failed.length} failed (${failed.join(", ")}).` : ".");
  if (failed.length) toast(`${failed.length} file${failed.length === 1 ? "" : "s"} could not be added; see the list below.`);
  $("ingest").disabled = false;
  $("add-files").value = "";
  $("add-hint").textContent = "Drop images here or click to choose them";
  refreshCount();
});

// --- the API view ---------------------------------------------------------------------------------------------------
if (new URLSearchParams(location.search).get("view") === "api") {
  $("app").classList.add("api-mode");
  $("api-view").hidden = false;
  document.title = "API · " + document.title;
  showApiPage($("api-view"));
}

refreshCount();
