// The conformance corpus for JavaScript runners (Node and the browser page load this module).
//
// A case file is `{"description", "operation", "request" | "requestText", "expected"}`
// (tests/conformance/**/*.json). Pure functions only: no Node or DOM API, so the browser page
// imports this file unchanged.
//
// Answers are compared as canonical JSON: object members sorted, no whitespace, integers kept
// exactly at any size (as decimal digits), other numbers as the double they denote. The same
// canonical form is taken of the expected answer, so `80` and `80.0` agree, `9007199254740993`
// and `9007199254740992` do not.

/**
 * Reads one case file. `requestText` is the exact text of the request: `requestText` of the
 * file, or the bytes of its `request` member as written. `jsObject` says whether the request
 * and expected answer survive the trip through JavaScript values unchanged (no integer beyond
 * 2^53 that a double cannot hold, no duplicated member, no member order that JavaScript would
 * change); only then is the case run through the object API, every case is run through
 * `callJson` and the raw ABI.
 */
export function readCase(file, text) {
  const root = parseJson(text);
  if (root.kind !== "object") throw new Error(`${file}: a case is a JSON object`);
  const member = (name) => root.members.find(([key]) => key === name)?.[1];
  const operation = member("operation");
  const expected = member("expected");
  const request = member("request");
  const requestTextMember = member("requestText");
  if (operation?.kind !== "string") throw new Error(`${file}: "operation" must be a string`);
  if (!expected) throw new Error(`${file}: "expected" is missing`);
  if (!request === !requestTextMember) throw new Error(`${file}: exactly one of "request" and "requestText"`);
  if (requestTextMember && requestTextMember.kind !== "string") {
    throw new Error(`${file}: "requestText" must be a string`);
  }
  const requestText = request ? text.slice(request.start, request.end) : requestTextMember.value;
  return {
    file,
    description: member("description")?.value ?? "",
    operation: operation.value,
    requestText,
    request: request ? JSON.parse(requestText) : undefined,
    expected: canonical(expected),
    jsObject: Boolean(request) && survivesJs(request) && survivesJs(expected),
  };
}

/** The canonical JSON of a JSON text (or of a tree from `parseJson`). */
export function canonical(jsonOrTree) {
  const tree = typeof jsonOrTree === "string" ? parseJson(jsonOrTree) : jsonOrTree;
  return write(tree);
}

function write(node) {
  switch (node.kind) {
    case "object": {
      const members = [...node.members].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${members.map(([key, value]) => `${JSON.stringify(key)}:${write(value)}`).join(",")}}`;
    }
    case "array":
      return `[${node.items.map(write).join(",")}]`;
    case "string":
      return JSON.stringify(node.value);
    case "number":
      return canonicalNumber(node.text);
    default:
      return node.kind; // true, false, null
  }
}

function canonicalNumber(text) {
  if (/^-?\d+$/.test(text)) {
    const value = BigInt(text);
    return value === 0n ? "0" : value.toString();
  }
  const value = Number(text);
  // Whole numbers written with a fraction or exponent (`80.0`, `1e2`) read as the integer.
  return Number.isInteger(value) && Math.abs(value) < 2 ** 63 ? BigInt(value).toString() : String(value);
}

/** Whether `JSON.stringify(JSON.parse(text))` keeps everything `canonical` compares. */
function survivesJs(node) {
  switch (node.kind) {
    case "object": {
      const keys = node.members.map(([key]) => key);
      if (new Set(keys).size !== keys.length) return false;
      // JavaScript puts integer-like keys first, in ascending order.
      const reordered = Object.keys(Object.fromEntries(keys.map((key) => [key, 0])));
      if (reordered.some((key, i) => key !== keys[i])) return false;
      return node.members.every(([, value]) => survivesJs(value));
    }
    case "array":
      return node.items.every(survivesJs);
    case "number":
      return canonicalNumber(node.text) === canonicalNumber(JSON.stringify(Number(node.text)));
    default:
      return true;
  }
}

/**
 * Parses JSON text into a tree that keeps what `JSON.parse` loses: member order and duplicates,
 * number lexemes, and each value's `[start, end)` span in the text.
 */
export function parseJson(text) {
  let at = 0;
  const fail = (what) => {
    throw new SyntaxError(`${what} at offset ${at}`);
  };
  const space = () => {
    while (at < text.length && " \t\n\r".includes(text[at])) at++;
  };
  const value = () => {
    space();
    const start = at;
    const c = text[at];
    let node;
    if (c === "{") {
      at++;
      const members = [];
      space();
      if (text[at] === "}") at++;
      else {
        for (;;) {
          space();
          if (text[at] !== '"') fail("expected a member name");
          const key = string();
          space();
          if (text[at++] !== ":") fail("expected `:`");
          members.push([key, value()]);
          space();
          const next = text[at++];
          if (next === "}") break;
          if (next !== ",") fail("expected `,` or `}`");
        }
      }
      node = { kind: "object", members };
    } else if (c === "[") {
      at++;
      const items = [];
      space();
      if (text[at] === "]") at++;
      else {
        for (;;) {
          items.push(value());
          space();
          const next = text[at++];
          if (next === "]") break;
          if (next !== ",") fail("expected `,` or `]`");
        }
      }
      node = { kind: "array", items };
    } else if (c === '"') {
      node = { kind: "string", value: string() };
    } else {
      const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(at, at + 400));
      if (!literal) fail("expected a JSON value");
      at += literal[0].length;
      const word = literal[0];
      node = word === "true" || word === "false" || word === "null" ? { kind: word } : { kind: "number", text: word };
    }
    node.start = start;
    node.end = at;
    return node;
  };
  const string = () => {
    const start = at;
    at++;
    while (at < text.length && text[at] !== '"') at += text[at] === "\\" ? 2 : 1;
    if (at >= text.length) fail("unterminated string");
    at++;
    return JSON.parse(text.slice(start, at));
  };
  const root = value();
  space();
  if (at !== text.length) fail("unexpected text after the JSON value");
  return root;
}

/** The JS API function for `operation`, or undefined when the API has none. */
export function apiFunction(api, operation) {
  const names = [
    "evaluate",
    "validate",
    "formatIdentifier",
    "codeUsage",
    "renameCode",
    "importTrainingRecords",
    "exportTrainingRecords",
    "compare",
  ];
  return names.includes(operation) ? api[operation] : undefined;
}

/**
 * Runs `testCase` through the JS API and returns `[via, canonical answer]` pairs: the object
 * API when the case survives JavaScript values, `callJson` always, and `Rulebook` for
 * `evaluate` cases whose answer is `ok` and whose request has nothing but `asOf`, `rulebook`,
 * `evidence` and `options` (for `compare` cases: `asOf`, `rulebook`, `before`, `after` and
 * `options`, through `Rulebook.compare` and `Rulebook.compareJson`).
 */
export function runJsApi(api, testCase) {
  const runs = [["callJson", canonical(api.callJson(testCase.operation, testCase.requestText))]];
  const object = apiFunction(api, testCase.operation);
  if (testCase.jsObject && object) {
    runs.push(["object API", canonical(JSON.stringify(object(testCase.request)))]);
    const request = testCase.request;
    const prepared =
      testCase.operation === "evaluate" &&
      testCase.expected.startsWith('{"ok":') &&
      request !== null &&
      typeof request === "object" &&
      Object.keys(request).every((key) => ["asOf", "rulebook", "evidence", "options"].includes(key));
    if (prepared) {
      const rulebook = new api.Rulebook(request.rulebook);
      try {
        const args = [request.evidence, request.asOf];
        if (request.options !== undefined) args.push(request.options);
        runs.push(["Rulebook", canonical(JSON.stringify(rulebook.evaluate(...args)))]);
        runs.push(...previewRuns(rulebook, request));
      } finally {
        rulebook.free();
      }
    }
    const comparable =
      testCase.operation === "compare" &&
      testCase.expected.startsWith('{"ok":') &&
      request !== null &&
      typeof request === "object" &&
      Object.keys(request).every((key) => ["asOf", "rulebook", "before", "after", "options"].includes(key));
    if (comparable) {
      const rulebook = new api.Rulebook(request.rulebook);
      try {
        const args = [request.before, request.after, request.asOf];
        if (request.options !== undefined) args.push(request.options);
        runs.push(["Rulebook.compare", canonical(JSON.stringify(rulebook.compare(...args)))]);
        const rest = { ...request };
        delete rest.rulebook;
        runs.push(["Rulebook.compareJson", canonical(rulebook.compareJson(JSON.stringify(rest)))]);
      } finally {
        rulebook.free();
      }
    }
  }
  return runs;
}

/**
 * The case through a `Preview` of `rulebook`: as read, and after its first learner was replaced
 * by a different one (every session absent, no invoice, no results) and then by itself again,
 * through the text and the object form. Each answer must be the case's.
 */
function previewRuns(rulebook, request) {
  const evidenceRequest = { ...request };
  delete evidenceRequest.rulebook;
  const preview = rulebook.preview(evidenceRequest);
  try {
    const runs = [["Preview", canonical(preview.answerJson())]];
    const learners = request.evidence?.learners;
    if (Array.isArray(learners) && learners.length > 0 && learners[0] && typeof learners[0] === "object") {
      const original = learners[0];
      const changed = { ...original };
      delete changed.invoice;
      delete changed.results;
      if (changed.attendance && typeof changed.attendance === "object") {
        changed.attendance = Object.fromEntries(Object.keys(changed.attendance).map((s) => [s, "absent"]));
      }
      const afterChange = preview.setLearnerJson(0, JSON.stringify(changed));
      if (!afterChange.startsWith('{"ok":')) throw new Error(`Preview.setLearnerJson refused a valid learner: ${afterChange}`);
      // Preview.compareJson: the evidence as read against the evidence as it stands.
      const after = { ...request.evidence, learners: [changed, ...learners.slice(1)] };
      const comparison = { ...evidenceRequest, before: request.evidence, after };
      delete comparison.evidence;
      const compared = canonical(preview.compareJson());
      if (compared !== canonical(rulebook.compareJson(JSON.stringify(comparison)))) {
        throw new Error(`Preview.compareJson differs from Rulebook.compareJson: ${compared}`);
      }
      runs.push(["Preview.setLearnerJson", canonical(preview.setLearnerJson(0, JSON.stringify(original)))]);
      preview.setLearner(0, changed);
      runs.push(["Preview.setLearner", canonical(JSON.stringify(preview.setLearner(0, original)))]);
      const restored = JSON.stringify(preview.compare());
      if (restored !== '{"ok":{"changes":[]}}') throw new Error(`Preview.compare after a restore: ${restored}`);
    }
    return runs;
  } finally {
    preview.free();
  }
}

/**
 * The raw ABI of docs/abi.md over an instantiated module: `call(operation, bytes)` returns the
 * answer's bytes. Every import of the module is a function that records the call and throws
 * (a trap for the caller): the raw ABI must call none.
 */
export async function instantiateRawAbi(wasmBytes) {
  const module = await WebAssembly.compile(wasmBytes);
  const importCalls = [];
  const imports = {};
  for (const { module: from, name, kind } of WebAssembly.Module.imports(module)) {
    if (kind !== "function") throw new Error(`unexpected ${kind} import ${from}.${name}`);
    imports[from] ??= {};
    imports[from][name] = () => {
      importCalls.push(`${from}.${name}`);
      throw new Error(`the raw ABI called the import ${from}.${name}`);
    };
  }
  const instance = await WebAssembly.instantiate(module, imports);
  const abi = instance.exports;
  const put = (bytes) => {
    const ptr = abi.laureate_alloc(bytes.length);
    if (bytes.length > 0) new Uint8Array(abi.memory.buffer, ptr, bytes.length).set(bytes);
    return ptr;
  };
  const call = (operation, request) => {
    const op = new TextEncoder().encode(operation);
    const req = typeof request === "string" ? new TextEncoder().encode(request) : request;
    const opPtr = put(op);
    const reqPtr = put(req);
    const packed = BigInt.asUintN(64, abi.laureate_call(opPtr, op.length, reqPtr, req.length));
    const ptr = Number(packed >> 32n);
    const len = Number(packed & 0xffffffffn);
    // Read after the call: the memory may have grown (and its old buffer detached).
    const answer = new Uint8Array(abi.memory.buffer, ptr, len).slice();
    abi.laureate_free(ptr, len);
    abi.laureate_free(reqPtr, req.length);
    abi.laureate_free(opPtr, op.length);
    return answer;
  };
  return { module, instance, abi, call, importCalls };
}

/** A short report of a mismatch. */
export function difference(testCase, via, got) {
  return `${testCase.file} via ${via}\n  expected ${testCase.expected}\n  got      ${got}`;
}
