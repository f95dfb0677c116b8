// The page's only link to the server: Gradio's REST protocol (POST /call/<api> then read its event stream), the
// upload route, and two UI helpers (thumbnails, collection size). All URLs are resolved against the page's own
// directory, never the origin root, so a proxy may mount the app under any sub-path.
const base = new URL(".", document.baseURI);
export const apiUrl = (p) => new URL("gradio_api/" + p, base).href;
/** The app's URL as clients should be given it (the page's folder, so a proxy's sub-path is kept). */
export const baseUrl = () => base.href;

/** An error whose message is meant for the user. */
export class UserError extends Error {}

const BUSY = "The server is busy right now; please try again in a moment.";

/** The server's {"detail": ...} text, or the status line when the body is not that shape. */
async function detail(res) {
  if (res.status === 503) return BUSY;
  try {
    const body = await res.json();
    if (typeof body.detail === "string") return body.detail;
  } catch { /* not JSON: fall through */ }
  return `Request failed (${res.status} ${res.statusText})`;
}

/** Calls a named endpoint and resolves to its output list; a failed event rejects with the server's message. */
export async function call(name, data) {
  let post;
  try {
    post = await fetch(apiUrl("call/" + name), {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ data }),
    });
  } catch {
    throw new UserError("Cannot reach the server. Is it running?");
  }
  if (!post.ok) throw new UserError(await detail(post));
  const { event_id } = await post.json();
  const res = await fetch(apiUrl(`call/${name}/${event_id}`));
  if (!res.ok) throw new UserError(await detail(res));
  // The stream ends after one "complete" or "error" event, so reading it whole is enough (heartbeats are skipped).
  const text = await res.text();
  for (const frame of text.split("\n\n")) {
    const ev = /^event: *(\S+)/m.exec(frame)?.[1];
    const line = /^data: ?(.*)$/m.exec(frame)?.[1];
    if (ev === "complete") return JSON.parse(line);
    if (ev === "error") {
      const err = line ? JSON.parse(line) : null;
      throw new UserError((err && (err.error || err.message || (typeof err === "string" && err))) || "The request failed.");
    }
  }
  throw new UserError("The server closed the stream without an answer.");
}

/**
 * Uploads one file; resolves to the server path to pass as a FileData input. XHR, not fetch, because only XHR
 * reports upload progress. onProgress(fraction) is called while the bytes go out.
 */
export function upload(file, onProgress = () => {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const form = new FormData();
    form.append("files", file, file.name || "pasted.png");
    xhr.open("POST", apiUrl("upload"));
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new UserError("Cannot reach the server. Is it running?"));
    xhr.onload = () => {
      const body = xhr.response;
      if (xhr.status === 200 && Array.isArray(body)) return resolve(body[0]);
      if (xhr.status === 503) return reject(new UserError(BUSY));
      reject(new UserError(typeof body?.detail === "string" ? body.detail : `Upload failed (${xhr.status})`));
    };
    xhr.send(form);
  });
}

/** A FileData input for a path the server issued. */
export const fileInput = (path) => ({ path, meta: { _type: "gradio.FileData" } });

/**
 * The encoded server path inside a FileData url (".../file=<path>"). The url's host is the server's idea of its
 * public root, which is wrong under a sub-path, so only the path part is reused.
 */
const encodedPath = (item) => item.image.url.slice(item.image.url.indexOf("/file=") + 6);

export const fullUrl = (item) => apiUrl("file=" + encodedPath(item));
export const thumbUrl = (item, size) => apiUrl(`thumb=${encodedPath(item)}?s=${size}`);

/**
 * {images, ingest}: the number of stored images (null when the server does not say) and the server's background
 * ingest ({state, done, total, images_per_second, eta_seconds, ...}, or null when there is none).
 */
export async function collectionStatus() {
  try {
    const res = await fetch(apiUrl("collection"));
    const body = res.ok ? await res.json() : {};
    return { images: body.images ?? null, ingest: body.ingest ?? null };
  } catch {
    return { images: null, ingest: null };
  }
}
