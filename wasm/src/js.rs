//! The JavaScript API of the `laureate` npm package: JS objects in, JS objects out.
//!
//! A request object crosses the boundary as its `JSON.stringify` text and the core's answer
//! comes back through `JSON.parse`, so `evaluate(x)` answers exactly what
//! `JSON.parse(callJson("evaluate", JSON.stringify(x)))` does: `undefined` members are left
//! out, numbers keep their value (`2 ** 53` included), and members keep the core's order.
//! Text crosses by `TextEncoder.encodeInto` straight into the module's memory and comes back by
//! one fatal `TextDecoder` over it (no per-character JavaScript loop in, no UTF-8 check in Rust
//! before the decoder's own).
//!
//! serde-wasm-bindgen (`Serializer::json_compatible()`) was measured against this and left out
//! (BENCHMARKS.md, "The JS object API's crossing"): it is slower both ways, on the preview and on
//! the large organisation, and 48 KB (gzip) larger. Nor is it exact: its deserializer reads a
//! number that is not a safe integer (`2 ** 53`, a legal `sequenceState` value) as a float,
//! which the core rejects where it wants an integer, and an `undefined` member as an unknown
//! field; its errors carry no JSON Pointer, and the limits (docs/limits.md) are counted on the
//! request's text; its `json_compatible` serializer fails on integers above `2 ** 53 - 1`.
//! Most of the object functions' extra time is `JSON.parse` of the answer. The crate needs no
//! serde.
//!
//! The answer envelope (`{ok}` / `{error}`) is returned as data. Only misuse of the JS API
//! itself throws: an `Error` whose `code` is `invalid-argument` (a missing, extra or
//! unconvertible argument), or `internal` (an answer that is not JSON: a bug). The exceptions
//! are `new Rulebook(rulebook)` and `rulebook.preview(request)`, which cannot return data: what
//! the core cannot read throws an `Error` carrying the answer's `code` and `path`.
//!
//! Each export has one trailing `unexpected` parameter beyond its documented ones: JavaScript
//! drops extra arguments silently, so that parameter is how one argument too many is caught.
//! The TypeScript declarations below (`TYPES`) do not show it; they type every request and
//! answer with the types generated from the core's wire types (`wasm/types/`), which `cargo xtask
//! build-wasm` puts beside them in the package.

use std::rc::Rc;

use js_sys::{Error, JsString, Object, Reflect, Uint8Array, JSON};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
// The request and answer types are generated from the core's Rust types (laureate-types.d.ts,
// written by `cargo test -p laureate-core --features ts --test typescript`). All of them are
// exported from here too, but for the rulebook JSON, which is `RulebookJson`: `Rulebook` is the
// class below.
import type * as wire from "./laureate-types.js";
export type * from "./laureate-types.js";
export type { Rulebook as RulebookJson } from "./laureate-types.js";

/** The error thrown for misuse of the JS API (`invalid-argument`) or by `new Rulebook`. */
export interface LaureateError extends Error {
  code: string;
  path?: string;
}

/** Runs `evaluate` on `{asOf, rulebook, evidence, options?}` (spec.md §8). */
export function evaluate(request: wire.EvaluateRequest): wire.Envelope<wire.EvaluateAnswer>;
/** Runs `validate` on `{rulebook}`. */
export function validate(request: wire.ValidateRequest): wire.Envelope<wire.ValidateAnswer>;
/** Runs `formatIdentifier` on `{format, padding?, number, fields?}`. */
export function formatIdentifier(
  request: wire.FormatIdentifierRequest,
): wire.Envelope<wire.FormatIdentifierAnswer>;
/** Runs `codeUsage` on `{rulebook, evidence?}`. */
export function codeUsage(request: wire.CodeUsageRequest): wire.Envelope<wire.CodeUsageAnswer>;
/** Runs `renameCode` on `{rulebook, from, to}`. */
export function renameCode(request: wire.RenameCodeRequest): wire.Envelope<wire.RenameCodeAnswer>;
/** Runs `importTrainingRecords` on `{csv, contacts?}`: the CSV's records, deletions and bad rows. */
export function importTrainingRecords(
  request: wire.ImportTrainingRecordsRequest,
): wire.Envelope<wire.ImportTrainingRecordsAnswer>;
/** Runs `exportTrainingRecords` on `{trainingRecords, contacts?}`: the records as CSV text. */
export function exportTrainingRecords(
  request: wire.ExportTrainingRecordsRequest,
): wire.Envelope<wire.ExportTrainingRecordsAnswer>;
/**
 * Runs `compare` on `{asOf, rulebook, before, after, options?}` (spec.md §14): what changing the
 * evidence `before` into `after` would do.
 */
export function compare(request: wire.CompareRequest): wire.Envelope<wire.CompareAnswer>;
/**
 * Runs `operation` on a JSON request given as text (or its UTF-8 bytes) and returns the
 * answer envelope's JSON text, byte for byte what every other surface answers.
 */
export function callJson(operation: string, request: string | Uint8Array): string;
/** The engine's version (the `engine.version` of every `evaluate` answer). */
export function version(): string;

/** A rulebook read once, to evaluate many evidences against. */
export class Rulebook {
  /**
   * Throws a `LaureateError` with the answer's `code` and `path` (under `/rulebook`, as in an
   * `evaluate` request) when the rulebook cannot be read.
   */
  constructor(rulebook: wire.Rulebook);
  /**
   * Runs `evaluate` with this rulebook on `{asOf, evidence, options?}` (an `EvidenceRequest`);
   * error paths are relative to that request.
   */
  evaluate(
    evidence: wire.Evidence,
    asOf: wire.Date,
    options?: wire.Options | null,
  ): wire.Envelope<wire.EvaluateAnswer>;
  /**
   * `evaluate` with this rulebook on the JSON text of an `EvidenceRequest` (a string or its
   * UTF-8 bytes); returns the answer envelope's JSON text, as `callJson` does.
   */
  evaluateJson(request: string | Uint8Array): string;
  /**
   * Runs `compare` with this rulebook on `{asOf, before, after, options?}` (a
   * `CompareEvidenceRequest`); error paths are relative to that request.
   */
  compare(
    before: wire.Evidence,
    after: wire.Evidence,
    asOf: wire.Date,
    options?: wire.Options | null,
  ): wire.Envelope<wire.CompareAnswer>;
  /**
   * `compare` with this rulebook on the JSON text of a `CompareEvidenceRequest` (a string or its
   * UTF-8 bytes); returns the answer envelope's JSON text.
   */
  compareJson(request: string | Uint8Array): string;
  /**
   * Reads `{asOf, evidence, options?}` once (an `EvidenceRequest`, as an object, its JSON text or
   * UTF-8 bytes) for a preview that changes one learner at a time. Throws a `LaureateError` with
   * the answer's `code` and `path` when the request cannot be read.
   */
  preview(request: wire.EvidenceRequest | string | Uint8Array): Preview;
  /** Releases the rulebook's memory now rather than when it is garbage-collected. */
  free(): void;
}

/**
 * The evidence of one `evaluate` request read once, against a `Rulebook`: replace one learner
 * (`evidence.learners[index]`) and get the new answer without the other learners' JSON being
 * read again. Every answer is byte for byte what `evaluateJson` answers for the request as it
 * stands after the changes. A learner that cannot be read gives the error envelope (paths
 * `/evidence/learners/{index}/...`) and leaves the preview unchanged.
 */
export class Preview {
  /** The number of learners; indexes `0 .. learnerCount - 1` can be replaced. */
  readonly learnerCount: number;
  /** The answer for the request as it stands, as JSON text. */
  answerJson(): string;
  /** The answer for the request as it stands. */
  answer(): wire.Envelope<wire.EvaluateAnswer>;
  /** Replaces learner `index` with the learner given as JSON text (or UTF-8 bytes): the new answer's text. */
  setLearnerJson(index: number, learner: string | Uint8Array): string;
  /** Replaces learner `index` with `learner`: the new answer. */
  setLearner(index: number, learner: wire.Learner): wire.Envelope<wire.EvaluateAnswer>;
  /**
   * `compare` (spec.md §14) of the evidence as first read with the evidence as it stands: what
   * the changes made so far would do (`{changes: []}` before any change).
   */
  compare(): wire.Envelope<wire.CompareAnswer>;
  /** `compare()` as the answer envelope's JSON text. */
  compareJson(): string;
  /** Releases the preview's memory now rather than when it is garbage-collected. */
  free(): void;
}
"#;

#[wasm_bindgen]
extern "C" {
    /// The global `TextEncoder`: a JS string's UTF-8 written straight into the module's memory.
    type TextEncoder;
    #[wasm_bindgen(constructor)]
    fn new() -> TextEncoder;
    /// `encodeInto(source, destination)`, `destination` a view of the module's memory.
    #[wasm_bindgen(method, js_name = encodeInto)]
    fn encode_into(this: &TextEncoder, source: &JsString, destination: &mut [u8]) -> EncodeIntoResult;

    /// What `encodeInto` answers: UTF-16 code units read, bytes written.
    type EncodeIntoResult;
    #[wasm_bindgen(method, getter)]
    fn read(this: &EncodeIntoResult) -> u32;
    #[wasm_bindgen(method, getter)]
    fn written(this: &EncodeIntoResult) -> u32;

    /// The global `TextDecoder`, fatal: bytes that are not UTF-8 throw.
    type TextDecoder;
    #[wasm_bindgen(constructor, catch)]
    fn new(label: &JsValue, options: &Object) -> Result<TextDecoder, JsValue>;
    /// `decode(bytes)`, `bytes` a view of the module's memory (no copy before the decoder's).
    #[wasm_bindgen(method, catch)]
    fn decode(this: &TextDecoder, bytes: &[u8]) -> Result<JsString, JsValue>;

    /// `Error`, made with a message that is already a JS string.
    #[wasm_bindgen(js_name = Error)]
    type MessageError;
    #[wasm_bindgen(constructor, js_class = Error)]
    fn new(message: &JsValue) -> MessageError;

    /// `JSON.parse` of a JS string already made (js-sys's takes a `&str`, which crosses again).
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn parse(text: &JsString) -> Result<JsValue, JsValue>;
}

/// The UTF-8 bytes of `text`, as wasm-bindgen's own string conversion writes them (a lone
/// surrogate as U+FFFD), by `encodeInto` into the module's memory: first assuming one byte per
/// code unit, then, from the first that needs more, three per remaining unit (the most UTF-8
/// takes for one UTF-16 unit).
fn utf8_of(text: &JsString) -> Vec<u8> {
    let units = text.length() as usize;
    let mut bytes = vec![0; units];
    let encoder = TextEncoder::new();
    let first = encoder.encode_into(text, &mut bytes);
    let (read, mut written) = (first.read() as usize, first.written() as usize);
    if read < units {
        let rest = text.substring(read as u32, units as u32);
        bytes.resize(written + (units - read) * 3, 0);
        let tail = bytes.get_mut(written..).unwrap_or_default();
        written += encoder.encode_into(&rest, tail).written() as usize;
    }
    bytes.truncate(written);
    bytes
}

/// The answer's text as a JS string, decoded from the module's memory by a fatal `TextDecoder`.
fn answer_text(answer: &[u8]) -> Result<JsString, JsValue> {
    let options = Object::new();
    // Setting a property on a fresh object cannot fail.
    let _ = Reflect::set(&options, &"fatal".into(), &JsValue::TRUE);
    let decoded = TextDecoder::new(&JsValue::UNDEFINED, &options).and_then(|decoder| decoder.decode(answer));
    decoded.map_err(|_| internal("the answer is not UTF-8"))
}

/// Runs `evaluate` (spec.md §8) on a request object.
#[wasm_bindgen(skip_typescript)]
pub fn evaluate(request: JsValue, unexpected: JsValue) -> Result<JsValue, JsValue> {
    operation("evaluate", &request, &unexpected)
}

/// Runs `validate` on a request object.
#[wasm_bindgen(skip_typescript)]
pub fn validate(request: JsValue, unexpected: JsValue) -> Result<JsValue, JsValue> {
    operation("validate", &request, &unexpected)
}

/// Runs `formatIdentifier` on a request object.
#[wasm_bindgen(js_name = formatIdentifier, skip_typescript)]
pub fn format_identifier(request: JsValue, unexpected: JsValue) -> Result<JsValue, JsValue> {
    operation("formatIdentifier", &request, &unexpected)
}

/// Runs `codeUsage` on a request object.
#[wasm_bindgen(js_name = codeUsage, skip_typescript)]
pub fn code_usage(request: JsValue, unexpected: JsValue) -> Result<JsValue, JsValue> {
    operation("codeUsage", &request, &unexpected)
}

/// Runs `renameCode` on a request object.
#[wasm_bindgen(js_name = renameCode, skip_typescript)]
pub fn rename_code(request: JsValue, unexpected: JsValue) -> Result<JsValue, JsValue> {
    operation("renameCode", &request, &unexpected)
}

/// Runs `importTrainingRecords` on a request object.
#[wasm_bindgen(js_name = importTrainingRecords, skip_typescript)]
pub fn import_training_records(request: JsValue, unexpected: JsValue) -> Result<JsValue, JsValue> {
    operation("importTrainingRecords", &request, &unexpected)
}

/// Runs `exportTrainingRecords` on a request object.
#[wasm_bindgen(js_name = exportTrainingRecords, skip_typescript)]
pub fn export_training_records(request: JsValue, unexpected: JsValue) -> Result<JsValue, JsValue> {
    operation("exportTrainingRecords", &request, &unexpected)
}

/// Runs `compare` on a request object.
#[wasm_bindgen(skip_typescript)]
pub fn compare(request: JsValue, unexpected: JsValue) -> Result<JsValue, JsValue> {
    operation("compare", &request, &unexpected)
}

/// Runs `operation` on JSON text (a string, or its UTF-8 bytes as a `Uint8Array`) and returns
/// the answer's JSON text unchanged.
#[wasm_bindgen(js_name = callJson, skip_typescript)]
pub fn call_json(operation: JsValue, request: JsValue, unexpected: JsValue) -> Result<JsString, JsValue> {
    no_more(&unexpected, "callJson", 2)?;
    let operation = operation.dyn_into::<JsString>().map_err(|_| misuse("`operation` must be a string"))?;
    // `encodeInto` writes UTF-8 only, so the name always reads.
    let operation = utf8_of(&operation);
    let operation = core::str::from_utf8(&operation).unwrap_or_default();
    text_call(&request, "request", |text| laureate_core::call(operation, text))
}

/// Runs `answer` on the JSON text `request` (a string, or UTF-8 bytes as a `Uint8Array`; the
/// argument `name` in the error when it is neither) and returns the answer's text.
fn text_call(request: &JsValue, name: &str, answer: impl FnOnce(&[u8]) -> Vec<u8>) -> Result<JsString, JsValue> {
    let answer = if let Some(text) = request.dyn_ref::<JsString>() {
        answer(&utf8_of(text))
    } else if request.is_instance_of::<Uint8Array>() {
        answer(&Uint8Array::from(request.clone()).to_vec())
    } else {
        return Err(misuse(&format!("`{name}` must be a string or a Uint8Array")));
    };
    answer_text(&answer)
}

/// The engine's version.
#[wasm_bindgen(skip_typescript)]
pub fn version(unexpected: JsValue) -> Result<JsString, JsValue> {
    no_more(&unexpected, "version", 0)?;
    Ok(laureate_core::ENGINE_VERSION.into())
}

/// A rulebook read once, to evaluate many evidences against.
#[wasm_bindgen(skip_typescript)]
pub struct Rulebook {
    /// Shared with the previews made from it, which outlive a `free()` of the rulebook.
    prepared: Rc<laureate_core::PreparedRulebook>,
}

#[wasm_bindgen]
impl Rulebook {
    /// Reads `rulebook`; throws the answer's error when the core cannot read it (paths under
    /// `/rulebook`, as in an `evaluate` request).
    #[wasm_bindgen(constructor)]
    pub fn new(rulebook: JsValue, unexpected: JsValue) -> Result<Rulebook, JsValue> {
        no_more(&unexpected, "new Rulebook", 1)?;
        let json = object_json(&rulebook, "rulebook")?;
        match laureate_core::PreparedRulebook::from_json(&utf8_of(&json)) {
            Ok(prepared) => Ok(Rulebook { prepared: Rc::new(prepared) }),
            Err(answer) => Err(thrown_envelope(answer)),
        }
    }

    /// Runs `evaluate` with this rulebook on `{asOf, evidence, options?}`; error paths are
    /// relative to that request (`/evidence/...`).
    pub fn evaluate(
        &self,
        evidence: JsValue,
        as_of: JsValue,
        options: JsValue,
        unexpected: JsValue,
    ) -> Result<JsValue, JsValue> {
        no_more(&unexpected, "Rulebook.evaluate", 3)?;
        let evidence = object_json(&evidence, "evidence")?;
        let as_of = value_json(&as_of, "asOf")?;
        // Joined in JavaScript (a rope, flattened once by `encodeInto`), not copied in Rust.
        let request = JsString::from(r#"{"asOf":"#).concat(&as_of).concat(&r#","evidence":"#.into()).concat(&evidence);
        let request = match options.is_undefined() {
            true => request,
            false => {
                let options = object_json(&options, "options")?;
                request.concat(&r#","options":"#.into()).concat(&options)
            }
        };
        to_js(self.prepared.evaluate_json(&utf8_of(&request.concat(&"}".into()))))
    }

    /// `evaluate` with this rulebook on the JSON text of `{asOf, evidence, options?}`; returns
    /// the answer's JSON text (no `JSON.stringify`/`JSON.parse` around the call).
    #[wasm_bindgen(js_name = evaluateJson)]
    pub fn evaluate_json(&self, request: JsValue, unexpected: JsValue) -> Result<JsString, JsValue> {
        no_more(&unexpected, "Rulebook.evaluateJson", 1)?;
        text_call(&request, "request", |text| self.prepared.evaluate_json(text))
    }

    /// Runs `compare` with this rulebook on `{asOf, before, after, options?}`; error paths are
    /// relative to that request (`/before/...`, `/after/...`).
    pub fn compare(
        &self,
        before: JsValue,
        after: JsValue,
        as_of: JsValue,
        options: JsValue,
        unexpected: JsValue,
    ) -> Result<JsValue, JsValue> {
        no_more(&unexpected, "Rulebook.compare", 4)?;
        let before = object_json(&before, "before")?;
        let after = object_json(&after, "after")?;
        let as_of = value_json(&as_of, "asOf")?;
        let request = JsString::from(r#"{"asOf":"#)
            .concat(&as_of)
            .concat(&r#","before":"#.into())
            .concat(&before)
            .concat(&r#","after":"#.into())
            .concat(&after);
        let request = match options.is_undefined() {
            true => request,
            false => {
                let options = object_json(&options, "options")?;
                request.concat(&r#","options":"#.into()).concat(&options)
            }
        };
        to_js(self.prepared.compare_json(&utf8_of(&request.concat(&"}".into()))))
    }

    /// `compare` with this rulebook on the JSON text of `{asOf, before, after, options?}`;
    /// returns the answer's JSON text.
    #[wasm_bindgen(js_name = compareJson)]
    pub fn compare_json(&self, request: JsValue, unexpected: JsValue) -> Result<JsString, JsValue> {
        no_more(&unexpected, "Rulebook.compareJson", 1)?;
        text_call(&request, "request", |text| self.prepared.compare_json(text))
    }

    /// Reads `{asOf, evidence, options?}` (an object, JSON text or UTF-8 bytes) once, for a
    /// preview that changes one learner at a time; throws the answer's error when it cannot.
    pub fn preview(&self, request: JsValue, unexpected: JsValue) -> Result<Preview, JsValue> {
        no_more(&unexpected, "Rulebook.preview", 1)?;
        let read = |text: &[u8]| laureate_core::Preview::from_json(text);
        let read = match request.dyn_ref::<JsString>() {
            Some(text) => read(&utf8_of(text)),
            None if request.is_instance_of::<Uint8Array>() => read(&Uint8Array::from(request).to_vec()),
            None => read(&utf8_of(&object_json(&request, "request")?)),
        };
        match read {
            Ok(evidence) => Ok(Preview { book: Rc::clone(&self.prepared), evidence }),
            Err(answer) => Err(thrown_envelope(answer)),
        }
    }
}

/// The evidence of one request read once, to change one learner at a time and answer again.
#[wasm_bindgen(skip_typescript)]
pub struct Preview {
    book: Rc<laureate_core::PreparedRulebook>,
    evidence: laureate_core::Preview,
}

#[wasm_bindgen]
impl Preview {
    /// The number of learners that can be replaced.
    #[wasm_bindgen(getter, js_name = learnerCount)]
    pub fn learner_count(&self) -> usize {
        self.evidence.learner_count()
    }

    /// The answer's JSON text for the request as it stands.
    #[wasm_bindgen(js_name = answerJson)]
    pub fn answer_json(&self, unexpected: JsValue) -> Result<JsString, JsValue> {
        no_more(&unexpected, "Preview.answerJson", 0)?;
        answer_text(&self.evidence.evaluate_json(&self.book))
    }

    /// The answer for the request as it stands.
    pub fn answer(&self, unexpected: JsValue) -> Result<JsValue, JsValue> {
        no_more(&unexpected, "Preview.answer", 0)?;
        to_js(self.evidence.evaluate_json(&self.book))
    }

    /// `compare` of the evidence as first read with the evidence as it stands.
    pub fn compare(&self, unexpected: JsValue) -> Result<JsValue, JsValue> {
        no_more(&unexpected, "Preview.compare", 0)?;
        to_js(self.evidence.compare_json(&self.book))
    }

    /// `compare()` as the answer envelope's JSON text.
    #[wasm_bindgen(js_name = compareJson)]
    pub fn compare_json(&self, unexpected: JsValue) -> Result<JsString, JsValue> {
        no_more(&unexpected, "Preview.compareJson", 0)?;
        answer_text(&self.evidence.compare_json(&self.book))
    }

    /// Replaces learner `index` with the learner's JSON text (or UTF-8 bytes): the new answer's
    /// text, or the error envelope's (the preview is then unchanged).
    #[wasm_bindgen(js_name = setLearnerJson)]
    pub fn set_learner_json(
        &mut self,
        index: JsValue,
        learner: JsValue,
        unexpected: JsValue,
    ) -> Result<JsString, JsValue> {
        no_more(&unexpected, "Preview.setLearnerJson", 2)?;
        let index = learner_index(&index)?;
        let (book, evidence) = (&self.book, &mut self.evidence);
        text_call(&learner, "learner", |text| evidence.change_learner_json(book, index, text))
    }

    /// Replaces learner `index` with the learner object: the new answer envelope.
    #[wasm_bindgen(js_name = setLearner)]
    pub fn set_learner(&mut self, index: JsValue, learner: JsValue, unexpected: JsValue) -> Result<JsValue, JsValue> {
        no_more(&unexpected, "Preview.setLearner", 2)?;
        let index = learner_index(&index)?;
        let learner = object_json(&learner, "learner")?;
        to_js(self.evidence.change_learner_json(&self.book, index, &utf8_of(&learner)))
    }
}

/// A learner index: a whole number from 0 (one past the last learner is the core's to refuse).
fn learner_index(index: &JsValue) -> Result<usize, JsValue> {
    match index.as_f64() {
        Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= f64::from(u32::MAX) => Ok(n as usize),
        _ => Err(misuse("`index` must be a whole number from 0")),
    }
}

/// Runs `operation` on the request object `request`.
fn operation(operation: &str, request: &JsValue, unexpected: &JsValue) -> Result<JsValue, JsValue> {
    no_more(unexpected, operation, 1)?;
    let request = object_json(request, "request")?;
    to_js(laureate_core::call(operation, &utf8_of(&request)))
}

/// The JSON text of `value`, which must be an object (arrays included: their shape is the
/// core's to judge).
fn object_json(value: &JsValue, name: &str) -> Result<JsString, JsValue> {
    if !value.is_undefined() && !value.is_object() {
        return Err(misuse(&format!("`{name}` must be an object")));
    }
    value_json(value, name)
}

/// The `JSON.stringify` text of `value`.
fn value_json(value: &JsValue, name: &str) -> Result<JsString, JsValue> {
    if value.is_undefined() {
        return Err(misuse(&format!("missing argument `{name}`")));
    }
    let text = JSON::stringify(value).map_err(|error| {
        let reason = error.dyn_ref::<Error>().map_or_else(|| "".into(), |error| error.message());
        let message = JsString::from(format!("`{name}` cannot be converted to json: ")).concat(&reason);
        coded_error(&message, &"invalid-argument".into())
    })?;
    // `JSON.stringify` answers `undefined` (not a string) for values JSON cannot hold.
    text.dyn_into::<JsString>().map_err(|_| misuse(&format!("`{name}` cannot be converted to json")))
}

/// The answer envelope as a JS value: its text decoded from the module's memory, then
/// `JSON.parse`.
fn to_js(answer: Vec<u8>) -> Result<JsValue, JsValue> {
    parse(&answer_text(&answer)?).map_err(|_| internal("the answer is not JSON"))
}

/// Throws when more than `count` arguments were given to `function`.
fn no_more(unexpected: &JsValue, function: &str, count: usize) -> Result<(), JsValue> {
    match unexpected.is_undefined() {
        true => Ok(()),
        false => {
            let plural = if count == 1 { "" } else { "s" };
            Err(misuse(&format!("`{function}` takes {count} argument{plural}")))
        }
    }
}

/// The error for misuse of the JS API.
fn misuse(message: &str) -> JsValue {
    coded_error(&message.into(), &"invalid-argument".into())
}

/// The error for an answer the JS API cannot hand over: a bug.
fn internal(message: &str) -> JsValue {
    coded_error(&message.into(), &"internal".into())
}

/// The `Error` to throw for an error envelope (a constructor cannot return it as data).
fn thrown_envelope(answer: Vec<u8>) -> JsValue {
    match to_js(answer) {
        Ok(envelope) => Reflect::get(&envelope, &"error".into()).map_or_else(|e| e, |error| envelope_error(&error)),
        Err(error) => error,
    }
}

/// An `Error` carrying the `code` and `path` of the answer envelope's `error` member.
fn envelope_error(error: &JsValue) -> JsValue {
    // A member that is not a string (never, in an envelope) is the empty string.
    let member =
        |name: &str| Reflect::get(error, &name.into()).ok().filter(JsValue::is_string).unwrap_or_else(|| "".into());
    let thrown = coded_error(&member("message"), &member("code"));
    // Setting a property on a fresh `Error` cannot fail.
    let _ = Reflect::set(&thrown, &"path".into(), &member("path"));
    thrown
}

/// An `Error` with `message` and a `code` property (both JS strings).
fn coded_error(message: &JsValue, code: &JsValue) -> JsValue {
    let error = MessageError::new(message);
    // Setting a property on a fresh `Error` cannot fail.
    let _ = Reflect::set(&error, &"code".into(), code);
    error.into()
}
