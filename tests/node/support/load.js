// Node-only helpers shared by the Node and browser runners: where things are, and the corpus.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readCase } from "./corpus.js";

export const root = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
export const packageDir = join(root, "target/npm/laureate");
export const wasmPath = join(packageDir, "laureate_bg.wasm");
export const corpusDir = join(root, "tests/conformance");

/** Every `tests/conformance/**\/*.json` file as `{file, text}`, sorted by path. */
export function corpusFiles() {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".json")) files.push(path);
    }
  };
  walk(corpusDir);
  return files.sort().map((path) => ({ file: relative(root, path), text: readFileSync(path, "utf8") }));
}

/** The corpus as cases; throws when it is empty (a runner that runs nothing is broken). */
export function loadCorpus() {
  const files = corpusFiles();
  if (files.length === 0) throw new Error(`no case under ${relative(root, corpusDir)}`);
  return files.map(({ file, text }) => readCase(file, text));
}

/** Throws with a pointer to `cargo xtask build-wasm` when the package is not built. */
export function requirePackage() {
  try {
    readFileSync(wasmPath);
  } catch {
    throw new Error(`${relative(root, wasmPath)} is missing: run \`cargo xtask build-wasm\``);
  }
}
