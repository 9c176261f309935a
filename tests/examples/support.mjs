// Shared by the example runners (not a test file itself: `node --test tests/examples/` runs only
// `*.test.mjs`). Paths, the prerequisites check, and running commands with clear failures.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
export const packageDir = join(root, "target/npm/laureate");
export const wasmPath = join(packageDir, "laureate_bg.wasm");
export const cli = join(root, "target/release/laureate");
export const orgRequest = join(root, "examples/org/request.json");

/** Throws, naming the command to run, when `cargo xtask build`'s outputs are missing. */
export function requireBuilt() {
  const missing = [join(packageDir, "web.js"), join(packageDir, "node.js"), wasmPath, cli].filter((p) => !existsSync(p));
  if (missing.length > 0) {
    throw new Error(`missing ${missing.map((p) => relative(root, p)).join(", ")}: run \`cargo xtask build\` first`);
  }
}

/**
 * Runs a command from the repository root and returns its stdout (a Buffer unless `encoding` is
 * given); a non-zero exit throws with the command, its status and its stderr.
 */
export function run(command, args, { encoding, env, timeout = 600_000, allowStatus = [0] } = {}) {
  const result = spawnSync(command, args, {
    cwd: root,
    env: { ...process.env, ...env },
    encoding,
    maxBuffer: 64 * 1024 * 1024,
    timeout,
  });
  const shown = [relative(root, command) || command, ...args].join(" ");
  if (result.error) throw new Error(`\`${shown}\` could not run: ${result.error.message}`);
  if (!allowStatus.includes(result.status)) {
    throw new Error(`\`${shown}\` exited with ${result.status ?? result.signal}\n--- stderr ---\n${result.stderr}\n--- stdout ---\n${String(result.stdout).slice(0, 4000)}`);
  }
  return result.stdout;
}

/** The CLI's answer to the example organisation (`laureate evaluate examples/org/request.json`), as bytes. */
export function cliAnswer(file = orgRequest) {
  return run(cli, ["evaluate", relative(root, file)]);
}

/** A short description of where two byte strings first differ, for assertion messages. */
export function firstDifference(got, want) {
  const a = Buffer.from(got);
  const b = Buffer.from(want);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  if (i === a.length && i === b.length) return "identical";
  const around = (buf) => JSON.stringify(buf.subarray(Math.max(0, i - 40), i + 40).toString("utf8"));
  return `lengths ${a.length} and ${b.length}; first difference at byte ${i}:\n  got  …${around(a)}…\n  want …${around(b)}…`;
}
