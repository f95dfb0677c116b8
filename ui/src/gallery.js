// The Results gallery: a grid of small thumbnails with "file name" and score captions; a click opens the full image
// in a dialog (arrow keys step through the results, Esc closes).
import { fullUrl, thumbUrl } from "./api.js";

const grid = document.getElementById("gallery");
const empty = document.getElementById("empty");
const box = document.getElementById("lightbox");
const boxImg = document.getElementById("lightbox-img");
const boxCap = document.getElementById("lightbox-cap");
let items = [];
let open = -1;

/** The server's caption is "<file name> · <score>"; shown as two parts so long names can be cut, not the score. */
function splitCaption(caption) {
  const at = caption.lastIndexOf(" \u00b7 ");
  return at < 0 ? [caption, ""] : [caption.slice(0, at), caption.slice(at + 3)];
}

export function show(results) {
  items = results;
  grid.replaceChildren(...results.map((item, i) => {
    const [name, score] = splitCaption(item.caption || "");
    const tile = document.createElement("button");
    tile.className = "tile";
    tile.type = "button";
    tile.title = item.caption || "";
    const img = document.createElement("img");
    // 256 px covers a grid cell at 1x; 2x screens pick the 512 px version. The full file loads only on click.
    img.src = thumbUrl(item, 256);
    img.srcset = `${thumbUrl(item, 256)} 1x, ${thumbUrl(item, 512)} 2x`;
    img.alt = name;
    img.loading = "lazy";
    img.decoding = "async";
    const cap = document.createElement("span");
    cap.className = "caption";
    const n = document.createElement("span");
    n.className = "name";
    n.textContent = name;
    const s = document.createElement("span");
    s.className = "score";
    s.textContent = score;
    cap.append(n, s);
    tile.append(img, cap);
    tile.addEventListener("click", () => enlarge(i));
    return tile;
  }));
  empty.hidden = results.length > 0;
  empty.textContent = "No images in the index yet: add some in the \u201cAdd images\u201d tab.";
}

function enlarge(i) {
  open = (i + items.length) % items.length;
  boxImg.src = fullUrl(items[open]);
  boxImg.alt = boxCap.textContent = items[open].caption || "";
  if (!box.open) box.showModal();
}

box.addEventListener("click", (e) => {
  // A click on the backdrop or the close button closes; a click on the picture does not.
  if (e.target === box || e.target.classList.contains("close")) box.close();
});
box.addEventListener("keydown", (e) => {
  if (e.key === "ArrowRight") enlarge(open + 1);
  if (e.key === "ArrowLeft") enlarge(open - 1);
});
box.addEventListener("close", () => boxImg.removeAttribute("src"));
