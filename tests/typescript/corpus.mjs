// Type-checks the conformance corpus against the package's generated types: every case's
// `expected` answer must be an `Envelope` of its operation's answer type, and every request that
// the engine answers with `ok` must be of its operation's request type. So the declarations say
// what the engine really reads and writes, not only what the Rust types are called.
//
// Writes target/typescript/corpus.mts (one typed constant per case) and runs tsc on it;
// `cargo xtask test` runs it after `cargo xtask build-wasm`.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("../..", import.meta.url).pathname;
const corpus = join(root, "tests/conformance");
const out = join(root, "target/typescript");
const types = {
  evaluate: ["EvaluateRequest", "EvaluateAnswer"],
  validate: ["ValidateRequest", "ValidateAnswer"],
  formatIdentifier: ["FormatIdentifierRequest", "FormatIdentifierAnswer"],
  codeUsage: ["CodeUsageRequest", "CodeUsageAnswer"],
  renameCode: ["RenameCodeRequest", "RenameCodeAnswer"],
  importTrainingRecords: ["ImportTrainingRecordsRequest", "ImportTrainingRecordsAnswer"],
  exportTrainingRecords: ["ExportTrainingRecordsRequest", "ExportTrainingRecordsAnswer"],
  compare: ["CompareRequest", "CompareAnswer"],
};

const cases = readdirSync(corpus, { recursive: true })
  .filter((file) => file.endsWith(".json"))
  .sort();
const lines = ['import type * as wire from "../npm/laureate/laureate-types.js";', ""];
cases.forEach((file, i) => {
  const { operation, request, expected } = JSON.parse(readFileSync(join(corpus, file), "utf8"));
  const [requestType, answerType] = types[operation] ?? [];
  if (!answerType) return; // an unknown operation: its answer is an error, checked by the other runners
  lines.push(`// ${relative(root, join(corpus, file))}`);
  lines.push(`export const answer${i}: wire.Envelope<wire.${answerType}> = ${JSON.stringify(expected)};`);
  if (request !== undefined && "ok" in expected) {
    lines.push(`export const request${i}: wire.${requestType} = ${JSON.stringify(request)};`);
  }
});
if (cases.length === 0) throw new Error(`no case under ${relative(root, corpus)}`);

mkdirSync(out, { recursive: true });
writeFileSync(join(out, "corpus.mts"), lines.join("\n") + "\n");
const config = {
  compilerOptions: {
    strict: true,
    noEmit: true,
    target: "es2022",
    module: "nodenext",
    moduleResolution: "nodenext",
    lib: ["es2022"],
    types: [],
  },
  files: ["corpus.mts"],
};
writeFileSync(join(out, "tsconfig.json"), JSON.stringify(config, null, 2) + "\n");
execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", out], { stdio: "inherit" });
console.log(`${cases.length} conformance cases type-check against the generated declarations`);
