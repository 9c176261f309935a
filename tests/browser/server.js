// A static server for the browser test, on 127.0.0.1 and an ephemeral port: the npm package
// under /pkg/, the shared corpus module under /support/, the corpus as /corpus.json, and the
// test page. Nothing else is served.
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { corpusFiles, packageDir, root } from "../node/support/load.js";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".cjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".ts": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
  ".sha256": "text/plain; charset=utf-8",
};

/** The file a URL path names, or undefined. */
function resolvePath(path) {
  const here = join(root, "tests/browser");
  if (path === "/" || path === "/index.html") return join(here, "index.html");
  if (path === "/page.js") return join(here, "page.js");
  if (path === "/support/corpus.js") return join(root, "tests/node/support/corpus.js");
  const name = /^\/pkg\/([A-Za-z0-9_.-]+)$/.exec(path)?.[1];
  if (name && !name.startsWith(".")) return join(packageDir, name);
  return undefined;
}

/** Starts the server; resolves to `{ url, close }`. */
export function startServer() {
  const server = createServer((request, response) => {
    const path = new URL(request.url, "http://127.0.0.1").pathname;
    try {
      let body;
      let type;
      if (path === "/corpus.json") {
        body = JSON.stringify(corpusFiles());
        type = TYPES[".json"];
      } else {
        const file = resolvePath(path);
        if (!file) throw Object.assign(new Error("not found"), { code: "ENOENT" });
        body = readFileSync(file);
        type = TYPES[/\.[a-z0-9]+$/.exec(file)?.[0]] ?? "application/octet-stream";
      }
      response.writeHead(200, { "content-type": type, "cache-control": "no-store" });
      response.end(body);
    } catch (error) {
      response.writeHead(error.code === "ENOENT" ? 404 : 500, { "content-type": "text/plain" });
      response.end(String(error.message));
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}/`, close: () => new Promise((done) => server.close(done)) });
    });
  });
}

// `node tests/browser/server.js` serves until stopped, to open the page by hand.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { url } = await startServer();
  console.log(`serving the browser test page at ${url}`);
}
