// A minimal reverse proxy for the browser test: serves BACKEND under PREFIX on a free local port, the way nginx's
// `location /clip/ { proxy_pass http://backend/; }` does (prefix stripped, X-Forwarded-* set). Anything outside the
// prefix is a 404, so a page URL that escapes the sub-path fails the test instead of silently reaching the backend.
import http from "node:http";

export function startProxy(backend, prefix) {
  const target = new URL(backend);
  let seen = 0;
  const server = http.createServer((req, res) => {
    if (!req.url.startsWith(prefix + "/")) {
      res.writeHead(404, { "content-type": "text/plain" }).end("outside " + prefix);
      return;
    }
    seen++;
    const headers = { ...req.headers, host: target.host, "x-forwarded-host": req.headers.host,
      "x-forwarded-proto": "http", "x-forwarded-prefix": prefix };
    const up = http.request({ host: target.hostname, port: target.port, method: req.method,
      path: req.url.slice(prefix.length), headers }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res); // streamed, so the event streams of /call pass through as they come
    });
    up.on("error", (e) => res.writeHead(502, { "content-type": "text/plain" }).end(String(e)));
    req.pipe(up);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({
    url: `http://127.0.0.1:${server.address().port}`,
    seen: () => seen,
    close: () => { server.closeAllConnections(); server.close(); },
  })));
}
