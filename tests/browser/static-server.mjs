// A static file server for a built site, putting it under BASE_PATH as GitHub Pages does
// for a project site. Unknown paths get the site's 404.html with status 404.

import http from "node:http";
import fs from "node:fs";
import path from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css",
  ".svg": "image/svg+xml", ".json": "application/json", ".xml": "application/xml",
  ".txt": "text/plain", ".csv": "text/csv",
};

/** Serves `site` under `basePath` on a free loopback port; resolves to { server, base }. */
export async function serveStatic(site, basePath = "/") {
  const root = path.resolve(site);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    let rel = decodeURIComponent(url.pathname);
    if (!rel.startsWith(basePath)) { res.writeHead(404); res.end("outside the base path"); return; }
    rel = rel.slice(basePath.length);
    let file = path.join(root, rel);
    if (!file.startsWith(root)) { res.writeHead(403); res.end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) { file = path.join(file, "index.html"); }
    if (!fs.existsSync(file)) {
      res.writeHead(404, { "content-type": TYPES[".html"] });
      res.end(fs.readFileSync(path.join(root, "404.html")));
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
    res.end(fs.readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, base: `http://127.0.0.1:${server.address().port}${basePath}` };
}

/** The Chromium flags that work headless in a container and make no background requests. */
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Where Chromium is: `CHROMIUM`, else Debian's /usr/bin/chromium. */
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
