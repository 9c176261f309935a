#!/usr/bin/env node
// A tiny static server for the award preview, on 127.0.0.1 only:
//
//   node examples/browser-preview/serve.mjs            # http://127.0.0.1:8080/
//   node examples/browser-preview/serve.mjs --port 0   # any free port (PORT=... works too)
//
// It serves this folder's page and, under /pkg/, the npm package's web build from
// target/npm/laureate/ (built by `cargo xtask build`). Nothing else is reachable.
import { createServer } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
export const packageDir = join(root, "target/npm/laureate");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".ts": "text/plain; charset=utf-8",
};
const PAGE = new Set(["index.html", "style.css", "app.js", "organisation.js"]);

/** The file a URL path names, or undefined. */
function resolvePath(path) {
  if (path === "/") return join(here, "index.html");
  const name = /^\/([A-Za-z0-9_.-]+)$/.exec(path)?.[1];
  if (name && PAGE.has(name)) return join(here, name);
  const file = /^\/pkg\/([A-Za-z0-9_][A-Za-z0-9_.-]*)$/.exec(path)?.[1];
  if (file) return join(packageDir, file);
  return undefined;
}

/** Starts the server; resolves to `{ url, close }`. */
export function startServer({ port = 0, host = "127.0.0.1" } = {}) {
  const server = createServer((request, response) => {
    const path = new URL(request.url, "http://localhost").pathname;
    const file = request.method === "GET" || request.method === "HEAD" ? resolvePath(path) : undefined;
    const extension = /\.[a-z0-9]+$/.exec(file ?? "")?.[0];
    let body;
    try {
      body = file && readFileSync(file);
    } catch {
      body = undefined;
    }
    if (!body) {
      response.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      response.end(`not found: ${path}\n`);
      return;
    }
    response.writeHead(200, { "content-type": TYPES[extension] ?? "application/octet-stream", "cache-control": "no-store" });
    response.end(request.method === "HEAD" ? undefined : body);
  });
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolvePromise({
        url: `http://${host}:${address.port}/`,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const flag = process.argv.indexOf("--port");
  const port = Number(flag > 0 ? process.argv[flag + 1] : (process.env.PORT ?? 8080));
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error("usage: node examples/browser-preview/serve.mjs [--port N]");
    process.exit(2);
  }
  if (!existsSync(join(packageDir, "web.js"))) {
    console.error(`${relative(process.cwd(), packageDir)}/web.js is missing: run \`cargo xtask build\` first`);
    process.exit(2);
  }
  const { url } = await startServer({ port });
  console.log(`Laureate award preview: ${url}  (Ctrl+C to stop)`);
}
