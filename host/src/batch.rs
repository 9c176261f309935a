//! NDJSON batches: one request per line in, one answer envelope per line out, in input order,
//! computed by a pool of worker threads over one shared [`Backend`], each worker with its own
//! [`Session`] (in wasmtime, a warm instance kept for all its lines).
//!
//! Each input line is `{"operation": "evaluate", "request": {...}}`; the operation is the core's
//! name (`formatIdentifier`) or the CLI's (`format-identifier`). The request's text is passed to
//! the engine verbatim. A line that is not such an object gets an error envelope of its own
//! (`invalid-json` or `invalid-input`, its message starting with `line N:`) and the batch goes on.
//! Blank lines are skipped: answer *k* belongs to the *k*-th non-blank line.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Mutex;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::backend::{operation_from_kebab, Backend, Session};
use crate::json;

/// What a batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Answers written (non-blank input lines).
    pub answers: usize,
    /// Answers that were `{"ok": ...}`.
    pub ok: usize,
    /// Answers that were `{"error": ...}`, malformed lines included.
    pub errors: usize,
}

/// Progress reporting, called from the writing thread after each answer is written.
pub trait Progress: Sync {
    /// `bytes` of input (the line and its newline) were answered; `ok` tells the answer's kind.
    fn answered(&self, bytes: u64, ok: bool);

    /// `bytes` of blank input were skipped.
    fn skipped(&self, _bytes: u64) {}
}

/// No progress reporting.
pub struct NoProgress;

impl Progress for NoProgress {
    fn answered(&self, _bytes: u64, _ok: bool) {}
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line<'a> {
    operation: String,
    #[serde(borrow)]
    request: &'a RawValue,
}

/// Answers one NDJSON line (1-based `number`, used in error messages).
pub fn answer_line(session: &mut Session, number: usize, line: &[u8]) -> Vec<u8> {
    let text = match std::str::from_utf8(line) {
        Ok(text) => text,
        Err(e) => {
            return json::error_envelope(
                "invalid-json",
                &format!("line {number}: not utf-8 (invalid byte at offset {})", e.valid_up_to()),
                "",
            )
        }
    };
    match serde_json::from_str::<Line<'_>>(text) {
        Ok(parsed) => {
            let operation = operation_from_kebab(&parsed.operation).unwrap_or(&parsed.operation);
            session.answer(operation, parsed.request.get().as_bytes())
        }
        Err(e) => {
            let (code, path) = if e.is_data() {
                ("invalid-input", data_error_path(&e.to_string()))
            } else {
                ("invalid-json", String::new())
            };
            let message = format!("line {number}: {}", lowercase_first(&strip_position(&e.to_string())));
            json::error_envelope(code, &message, &path)
        }
    }
}

/// The JSON Pointer a serde data error is about: the member named in the message, if any.
fn data_error_path(message: &str) -> String {
    for prefix in ["unknown field `", "missing field `", "duplicate field `"] {
        if let Some(rest) = message.strip_prefix(prefix) {
            if let Some(end) = rest.find('`') {
                return format!("/{}", &rest[..end]);
            }
        }
    }
    if message.starts_with("invalid type") && message.contains("string") {
        return "/operation".to_owned();
    }
    String::new()
}

/// serde_json's messages end with ` at line L column C`; for one-line input only the column
/// matters.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line 1 column ") {
        Some(at) => format!("{} at column {}", &message[..at], &message[at + " at line 1 column ".len()..]),
        None => message.to_owned(),
    }
}

fn lowercase_first(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Reads NDJSON from `input`, writes answers to `output` in input order, using `jobs` worker
/// threads (at least one). Only I/O errors stop a batch.
pub fn run(
    backend: &Backend,
    input: impl BufRead + Send,
    mut output: impl Write,
    jobs: usize,
    progress: &dyn Progress,
) -> std::io::Result<Summary> {
    let jobs = jobs.max(1);
    let (line_tx, line_rx) = mpsc::sync_channel::<(usize, usize, Vec<u8>, u64)>(jobs * 4);
    let line_rx = Mutex::new(line_rx);
    let (answer_tx, answer_rx) = mpsc::channel::<(usize, Vec<u8>, u64)>();
    // Set when output fails (e.g. a closed pipe): stop reading and computing.
    let stop = AtomicBool::new(false);
    let stop = &stop;

    std::thread::scope(|scope| {
        let reader = scope.spawn(move || -> std::io::Result<()> {
            let mut input = input;
            let mut index = 0;
            let mut number = 0;
            while !stop.load(Ordering::Relaxed) {
                let mut line = Vec::new();
                let read = input.read_until(b'\n', &mut line)?;
                if read == 0 {
                    return Ok(());
                }
                number += 1;
                if line.iter().all(u8::is_ascii_whitespace) {
                    progress.skipped(read as u64);
                    continue;
                }
                while matches!(line.last(), Some(b'\n' | b'\r')) {
                    line.pop();
                }
                if line_tx.send((index, number, line, read as u64)).is_err() {
                    return Ok(());
                }
                index += 1;
            }
            Ok(())
        });

        for _ in 0..jobs {
            let answer_tx = answer_tx.clone();
            let line_rx = &line_rx;
            scope.spawn(move || {
                let mut session = backend.session();
                loop {
                    let next = line_rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                    let Ok((index, number, line, bytes)) = next else { return };
                    if stop.load(Ordering::Relaxed) {
                        continue; // drain, so that the reader is never blocked on a full channel
                    }
                    let answer = answer_line(&mut session, number, &line);
                    if answer_tx.send((index, answer, bytes)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(answer_tx);

        // Write in input order as answers arrive.
        let mut summary = Summary::default();
        let mut pending = BTreeMap::new();
        let mut next = 0;
        let mut write_error = None;
        for (index, answer, bytes) in answer_rx.iter() {
            if write_error.is_some() {
                continue;
            }
            pending.insert(index, (answer, bytes));
            let mut wrote = false;
            while let Some((answer, bytes)) = pending.remove(&next) {
                let ok = json::answer_is_ok(&answer) == Some(true);
                if let Err(e) = output.write_all(&answer).and_then(|()| output.write_all(b"\n")) {
                    stop.store(true, Ordering::Relaxed);
                    write_error = Some(e);
                    break;
                }
                summary.answers += 1;
                if ok {
                    summary.ok += 1;
                } else {
                    summary.errors += 1;
                }
                progress.answered(bytes, ok);
                next += 1;
                wrote = true;
            }
            if wrote && pending.is_empty() {
                if let Err(e) = output.flush() {
                    stop.store(true, Ordering::Relaxed);
                    write_error = Some(e);
                }
            }
        }
        let read_result = reader.join().unwrap_or_else(|_| Err(std::io::Error::other("the reader thread panicked")));
        if let Some(e) = write_error {
            return Err(e);
        }
        read_result?;
        output.flush()?;
        Ok(summary)
    })
}
