//! The checks of the fuzz targets (`core/fuzz`, `host/fuzz`, docs/fuzzing.md), here so that the
//! corpus replay tests on stable Rust run exactly what the fuzzers ran.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::{json, Map, Value};

use crate::diagnostics::Diagnostics;
use crate::sequence::format::{parse, FormatKind};
use crate::{call, OPERATIONS};

/// Splits a fuzz input into an operation and a request: the first byte picks one of
/// [`OPERATIONS`] (values past them pick an unknown operation), the rest is the request.
pub fn split_call_input(data: &[u8]) -> (&'static str, &[u8]) {
    match data.split_first() {
        Some((&selector, request)) => (
            OPERATIONS.get(usize::from(selector) % (OPERATIONS.len() + 1)).copied().unwrap_or("noSuchOperation"),
            request,
        ),
        None => ("evaluate", data),
    }
}

/// The input that [`split_call_input`] reads back as `(operation, request)`.
pub fn call_input(operation: &str, request: &[u8]) -> Vec<u8> {
    let selector = OPERATIONS.iter().position(|o| *o == operation).unwrap_or(OPERATIONS.len());
    let mut input = Vec::with_capacity(request.len() + 1);
    input.push(u8::try_from(selector).unwrap_or(u8::MAX));
    input.extend_from_slice(request);
    input
}

/// An answer must be one JSON object with one member, `ok` or `error`; an error has a known
/// code other than `internal`, a message, and a JSON Pointer path.
pub fn check_envelope(answer: &[u8]) -> Result<(), String> {
    let value: Value = serde_json::from_slice(answer).map_err(|e| format!("the answer is not JSON ({e})"))?;
    let envelope = value.as_object().ok_or("the answer is not an object")?;
    if envelope.len() != 1 {
        return Err("the answer does not have exactly one member".into());
    }
    if envelope.contains_key("ok") {
        return Ok(());
    }
    let error = envelope.get("error").and_then(Value::as_object).ok_or("the answer is neither ok nor error")?;
    let code = error.get("code").and_then(Value::as_str).unwrap_or_default();
    if !["invalid-json", "invalid-input", "unsupported-version", "limit-exceeded"].contains(&code) {
        return Err(format!("unexpected error code `{code}`"));
    }
    if error.get("message").and_then(Value::as_str).is_none_or(str::is_empty) {
        return Err("the error has no message".into());
    }
    match error.get("path").and_then(Value::as_str) {
        Some(path) if path.is_empty() || path.starts_with('/') => Ok(()),
        _ => Err("the error path is not a JSON Pointer".into()),
    }
}

/// The `format` target: `data` is a padding byte, eight bytes of number and a format. The format
/// is parsed for every kind of award, then formatted through `formatIdentifier`; an identifier,
/// when one comes out, holds the padded number.
pub fn check_format_input(data: &[u8]) -> Result<(), String> {
    let (padding, rest) = data.split_first().map_or((0, data), |(p, rest)| (*p % 24, rest));
    let (number, format) = match rest.split_first_chunk::<8>() {
        Some((number, format)) => (u64::from_le_bytes(*number) % (1 << 54), format),
        None => (1, rest),
    };
    let format = String::from_utf8_lossy(format).into_owned();
    for kind in [FormatKind::Event, FormatKind::Path, FormatKind::Any] {
        let mut diagnostics = Diagnostics::default();
        if parse(&format, kind, &|| "/format".into(), &mut diagnostics).is_none()
            && diagnostics.into_sorted().is_empty()
        {
            return Err(format!("the format {format:?} was refused without a diagnostic"));
        }
    }
    let mut fields = Map::new();
    for (name, value) in [
        ("course.code", "CPR"),
        ("event.start", "2026-03-01"),
        ("event.custom.site", "Zürich"),
        ("learner.id", "L-1"),
        ("award.year", "2026"),
        ("path.code", "FAW"),
    ] {
        fields.insert(name.to_string(), json!(value));
    }
    let request = json!({"format": format, "padding": padding, "number": number, "fields": fields});
    let answer = call("formatIdentifier", request.to_string().as_bytes());
    check_envelope(&answer)?;
    let answer: Value = serde_json::from_slice(&answer).map_err(|e| e.to_string())?;
    if let Some(identifier) = answer.pointer("/ok/identifier").and_then(Value::as_str) {
        let digits = format!("{number:0width$}", width = usize::from(padding));
        if !identifier.contains(&digits) {
            return Err(format!("identifier {identifier:?} of {format:?} lacks the number {digits}"));
        }
    }
    Ok(())
}
