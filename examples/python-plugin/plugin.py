"""Laureate inside a Python LMS: a third-party plugin that runs the engine's WebAssembly artifact.

The plugin loads the very `laureate_bg.wasm` the npm package ships (the browser preview and the
server run the same bytes) with the `wasmtime` package from PyPI, and talks to it through the raw
ABI of docs/spec.md section 11 (docs/abi.md): JSON bytes in, JSON bytes out, nothing else to learn.

    python -m venv .venv && .venv/bin/pip install -r examples/python-plugin/requirements.txt
    .venv/bin/python examples/python-plugin/plugin.py evaluate examples/org/request.json
    .venv/bin/python examples/python-plugin/plugin.py actions examples/org/request.json

From Python code:

    from plugin import Laureate
    engine = Laureate.load()                        # target/npm/laureate/laureate_bg.wasm
    envelope = engine.evaluate({"asOf": "2026-06-15", "rulebook": {...}, "evidence": {...}})
    if "ok" in envelope:
        for action in envelope["ok"]["actions"]:
            ...                                     # issue / notify / review-revoke in the LMS
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any, Optional

import wasmtime

# The raw ABI version this plugin speaks (`laureate_abi_version()`).
ABI_VERSION = 1

# The artifact, relative to the repository root (written by `cargo xtask build`).
ARTIFACT = Path("target/npm/laureate/laureate_bg.wasm")

# CLI command -> operation name of docs/spec.md section 2 (the same names as the `laureate` CLI).
OPERATIONS = {
    "evaluate": "evaluate",
    "validate": "validate",
    "format-identifier": "formatIdentifier",
    "code-usage": "codeUsage",
    "rename-code": "renameCode",
    "compare": "compare",
}

U32 = 0xFFFF_FFFF
U64 = 0xFFFF_FFFF_FFFF_FFFF


class LaureateError(Exception):
    """The artifact could not be loaded or called (never raised for bad requests: those are
    answered with an `error` envelope)."""


def default_artifact() -> Path:
    """`$LAUREATE_WASM`, else target/npm/laureate/laureate_bg.wasm of this repository."""
    env = os.environ.get("LAUREATE_WASM")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / ARTIFACT


def _i32(value: int) -> int:
    """An unsigned 32-bit address as the signed i32 wasmtime-py passes."""
    value &= U32
    return value - (1 << 32) if value >= 1 << 31 else value


class Laureate:
    """One instance of Laureate's module. Single-threaded: use one per thread (they are cheap)."""

    def __init__(self, wasm: bytes):
        self._engine = wasmtime.Engine()
        self._module = wasmtime.Module(self._engine, wasm)
        self.sha256 = hashlib.sha256(wasm).hexdigest()
        self._instantiate()

    @classmethod
    def load(cls, path: Optional[Path] = None, check_sha256: bool = True) -> "Laureate":
        """Loads the artifact; checks it against the `.sha256` file beside it when there is one."""
        path = Path(path) if path else default_artifact()
        try:
            wasm = path.read_bytes()
        except OSError as error:
            raise LaureateError(f"cannot read {path} ({error.strerror}): run `cargo xtask build`") from error
        engine = cls(wasm)
        sidecar = path.with_name(path.name + ".sha256")
        if check_sha256 and sidecar.is_file():
            expected = sidecar.read_text().split()[0].lower()
            if expected != engine.sha256:
                raise LaureateError(f"{path} has SHA-256 {engine.sha256}, {sidecar} says {expected}")
        return engine

    def _instantiate(self) -> None:
        # The module's imports serve its JavaScript bindings only; the raw ABI calls none of them,
        # so every import is a function that traps.
        self._store = wasmtime.Store(self._engine)
        linker = wasmtime.Linker(self._engine)
        linker.define_unknown_imports_as_traps(self._module)
        instance = linker.instantiate(self._store, self._module)
        exports = instance.exports(self._store)
        self._memory = exports["memory"]
        self._alloc = exports["laureate_alloc"]
        self._free = exports["laureate_free"]
        self._call = exports["laureate_call"]
        version = exports["laureate_abi_version"](self._store)
        if version != ABI_VERSION:
            raise LaureateError(f"the artifact speaks raw ABI {version}, this plugin {ABI_VERSION}")

    def _write(self, data: bytes) -> int:
        if not data:
            return 0
        ptr = self._alloc(self._store, len(data)) & U32
        if ptr == 0:
            raise LaureateError(f"laureate_alloc({len(data)}) returned no buffer")
        self._memory.write(self._store, data, ptr)
        return ptr

    def call(self, operation: str, request: bytes) -> bytes:
        """Runs `operation` on a UTF-8 JSON request; returns the answer envelope's bytes, exactly
        what every other surface (browser, Node, wasmtime host, native core) answers."""
        op = operation.encode("utf-8")
        try:
            op_ptr = self._write(op)
            req_ptr = self._write(request)
            try:
                packed = self._call(self._store, _i32(op_ptr), len(op), _i32(req_ptr), len(request)) & U64
                answer_ptr, answer_len = packed >> 32, packed & U32
                # Memory may have grown during the call: read through the export, not a cached view.
                answer = bytes(self._memory.read(self._store, answer_ptr, answer_ptr + answer_len))
                self._free(self._store, _i32(answer_ptr), answer_len)
            finally:
                self._free(self._store, _i32(req_ptr), len(request))
                self._free(self._store, _i32(op_ptr), len(op))
        except wasmtime.Trap as trap:
            # A trap is a bug or misuse, never bad input; the heap may be inconsistent: start over.
            self._instantiate()
            raise LaureateError(f"the module trapped: {trap}") from trap
        return answer

    def call_json(self, operation: str, request: Any) -> Any:
        """`call` on a Python value (serialised with json.dumps); returns the parsed envelope."""
        text = json.dumps(request, ensure_ascii=False, separators=(",", ":"))
        return json.loads(self.call(operation, text.encode("utf-8")))

    def evaluate(self, request: dict) -> dict:
        """`{"asOf", "rulebook", "evidence", "options"?}` -> `{"ok": ...}` or `{"error": ...}`."""
        return self.call_json("evaluate", request)


# ---------------------------------------------------------------------------------------------
# What an LMS does with an evaluate answer


def describe_actions(result: dict) -> list[str]:
    """One line per action the LMS should carry out (it persists records, sends mail, and
    queues revocations for review: the engine never does any of that itself)."""
    lines = []
    for action in result.get("actions", []):
        source = f"event {action['event']}" if action.get("event") else f"path {action.get('path')}"
        # Award actions name the learner (the participation); a certification's, its certification.
        who = f"{action['contact']} ({action.get('learner') or action.get('certification')})"
        kind = action["action"]
        if kind == "certify":
            until = action.get("validUntil") or "never"
            lines.append(
                f"certify {action['certification']:<18} for {who}, cycle {action['cycle']}: "
                f"completed {action['completedOn']}, valid until {until}"
            )
        elif kind == "notify" and action.get("certification"):
            attach = "with certificate" if action.get("attachCertificate") else "no certificate"
            lines.append(
                f"notify  {who} of {action['certification']} cycle {action['cycle']} "
                f"({action['trigger']} on {action['on']}, {attach}, key {action['key']})"
            )
        elif kind == "issue":
            identifier = action.get("identifier") or "no identifier (set it by hand)"
            expires = action.get("expiresOn") or "never"
            lines.append(
                f"issue   {action['achievement']:<18} to {who}, {source}: {identifier}, "
                f"valid {action['validFrom']} until {expires}"
            )
        elif kind == "notify":
            attach = "with certificate" if action.get("attachCertificate") else "no certificate"
            lines.append(f"notify  {who} of {action['achievement']} ({action['trigger']}, {attach}, key {action.get('key')})")
        elif kind == "review-revoke":
            lines.append(f"review  record {action['record']} of {who}: {action['achievement']} now fails ({source})")
        else:
            lines.append(f"{kind}  {json.dumps(action)}")
    return lines


# ---------------------------------------------------------------------------------------------
# Command line


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="plugin.py",
        description="Laureate's engine in Python, through wasmtime and the raw ABI.",
        epilog="Exit status: 0 for an `ok` answer, 1 for an `error` answer, 2 for a usage error.",
    )
    parser.add_argument("--wasm", type=Path, help="the artifact (default: $LAUREATE_WASM, else target/npm/laureate/laureate_bg.wasm)")
    parser.add_argument(
        "command",
        choices=[*OPERATIONS, "actions"],
        help="an operation (prints the answer envelope, byte for byte), or `actions` (evaluate, then list what the LMS should do)",
    )
    parser.add_argument("file", help="the JSON request (`-` for standard input)")
    args = parser.parse_args(argv)

    try:
        request = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    except OSError as error:
        print(f"plugin.py: cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return 2
    try:
        engine = Laureate.load(args.wasm)
        answer = engine.call(OPERATIONS.get(args.command, "evaluate"), request)
    except LaureateError as error:
        print(f"plugin.py: {error}", file=sys.stderr)
        return 2

    envelope = json.loads(answer)
    if args.command == "actions":
        if "error" in envelope:
            error = envelope["error"]
            print(f"error {error['code']} at {error['path']!r}: {error['message']}", file=sys.stderr)
            return 1
        result = envelope["ok"]
        lines = describe_actions(result)
        print(f"{len(result['outcomes'])} outcomes as of {result['asOf']}; {len(lines)} actions for the LMS:")
        for line in lines:
            print(f"  {line}")
        state = result["sequenceState"]
        print("next sequence numbers: " + (", ".join(f"{k} {state[k]}" for k in sorted(state)) or "none"))
        return 0
    sys.stdout.buffer.write(answer + b"\n")
    sys.stdout.flush()
    return 1 if "error" in envelope else 0


if __name__ == "__main__":
    sys.exit(main())
