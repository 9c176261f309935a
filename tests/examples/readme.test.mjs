// Runs the README's JavaScript snippet and command lines as written, so the README stays true.
// (Its Rust snippet runs as a doctest of laureate-host: `cargo test -p laureate-host --doc`.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const readme = readFileSync(path.join(root, "README.md"), "utf8");

/** The fenced blocks of the README in the given language. */
function blocks(language) {
  const found = [];
  const pattern = new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g");
  for (const match of readme.matchAll(pattern)) found.push(match[1]);
  assert.ok(found.length > 0, `the README has a \`${language}\` block`);
  return found;
}

test("the README's JavaScript snippet runs against the built package", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "laureate-readme-"));
  const entry = pathToFileURL(path.join(root, "target/npm/laureate/node.js")).href;
  for (const [i, block] of blocks("js").entries()) {
    const file = path.join(dir, `snippet-${i}.mjs`);
    writeFileSync(file, block.replaceAll('from "laureate"', `from ${JSON.stringify(entry)}`));
    const output = execFileSync(process.execPath, [file], { cwd: root, encoding: "utf8" });
    assert.match(output, /^\d+ outcomes, \d+ actions$/m, "the snippet prints its summary");
    assert.match(output, /attendance\.absences|online\.progress|manual\.result/, "the trace is printed");
  }
});

test("the README's `laureate` command lines run and exit 0", () => {
  const bin = path.join(root, "target/release");
  const lines = blocks("sh").flatMap((block) => block.split("\n")).filter((l) => l.startsWith("laureate "));
  assert.ok(lines.length >= 4, "the README shows the command line");
  for (const line of lines) {
    const output = execFileSync("sh", ["-c", line], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    });
    assert.ok(output.trim().length > 0, `\`${line}\` printed its answer`);
    if (line.includes("export-training-records")) {
      assert.match(output, /^Record Id,Name,/, `\`${line}\` printed the CSV`);
    } else if (!line.includes("--table")) {
      // One answer (possibly pretty-printed), or NDJSON from `batch`.
      const answers = line.includes(" batch ") ? output.trim().split("\n") : [output];
      for (const answer of answers) assert.ok("ok" in JSON.parse(answer), `\`${line}\` answered ok`);
    }
  }
});
