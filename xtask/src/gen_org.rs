//! `cargo xtask gen-org`: a generated organisation's `evaluate` request (laureate-orggen).

use std::fs;
use std::io::Write as _;

use laureate_orggen::{organisation, SIZES};

use crate::Result;

pub fn run(options: &[&str]) -> Result {
    let mut contacts = 30;
    let mut seed = 1;
    let mut out = None;
    let mut rest = options.iter();
    while let Some(option) = rest.next() {
        let value = rest.next().ok_or_else(|| format!("gen-org: `{option}` needs a value"))?;
        match *option {
            "--contacts" => contacts = value.parse().map_err(|_| format!("gen-org: `{value}` is not a count"))?,
            "--size" => {
                contacts = SIZES
                    .iter()
                    .find(|(name, _)| name == value)
                    .map(|(_, n)| *n)
                    .ok_or_else(|| format!("gen-org: unknown size `{value}` (small, medium or large)"))?
            }
            "--seed" => seed = value.parse().map_err(|_| format!("gen-org: `{value}` is not a seed"))?,
            "--out" => out = Some(*value),
            _ => return Err(format!("gen-org: unknown option `{option}`")),
        }
    }
    let text = serde_json::to_string(&organisation(contacts, seed)).map_err(|e| format!("gen-org: {e}"))?;
    match out {
        Some(path) => {
            fs::write(path, &text).map_err(|e| format!("gen-org: cannot write {path}: {e}"))?;
            eprintln!("gen-org: {contacts} contacts, seed {seed}: {} bytes in {path}", text.len());
        }
        None => std::io::stdout().write_all(text.as_bytes()).map_err(|e| format!("gen-org: {e}"))?,
    }
    Ok(())
}
