//! The shipped `.wasm` fits its budget: at most 240,500 bytes after gzip -9 (the size
//! `cargo xtask build-wasm` reports), the cost of the browser preview's download. When the
//! package has not been built yet, tidy builds it first.

use std::path::Path;

use super::Violation;
use crate::build_wasm::{build_wasm, PACKAGE_DIR};
use crate::files::read;
use crate::sizes::{gzip_size, thousands};

/// The most bytes the shipped module may take gzipped (level 9): 200,000 until the
/// training-record CSV (`importTrainingRecords`, `exportTrainingRecords` and `csv-core`) took the
/// module from about 196,100 to 213,963 bytes, and issue #19's outcomes (revoked, `decidedBy`,
/// path `steps`, `accounts`) to 216,351, issue #18's recertification to 226,053, and issue #21's
/// `compare` (its two request types' readers, the matching of two answers, the change writers and
/// five JS functions: +10,556 on its own) and approval holds (+489), with the name → contact id
/// form of an import's `contacts`, to 238,894, and the module's own allocator with the
/// evaluate-speed changes around it (+214 over 238,568) to 238,782, and the kept rulebook of the
/// raw ABI (`RulebookCache`: the top-level scan, the cut and the second reader's call; +1,646)
/// to 240,428 (measured by `cargo xtask build-wasm`; BENCHMARKS.md, "Artifact size").
pub const GZIP_BUDGET: usize = 240_500;

/// The file the npm package ships and the host loads.
fn shipped_path() -> String {
    format!("{PACKAGE_DIR}/laureate_bg.wasm")
}

/// Checks the shipped module, building the package first when it is missing.
pub fn check_shipped() -> crate::Result<Vec<Violation>> {
    let path = shipped_path();
    if !Path::new(&path).exists() {
        println!("tidy: {path} is missing; building it");
        build_wasm(false)?;
    }
    Ok(check(&path, &read(Path::new(&path))?, GZIP_BUDGET).into_iter().collect())
}

/// A violation when `wasm` (the file `path`) is over `budget` bytes gzipped.
fn check(path: &str, wasm: &[u8], budget: usize) -> Option<Violation> {
    let gzipped = gzip_size(wasm);
    (gzipped > budget).then(|| Violation {
        path: path.to_owned(),
        line: 1,
        message: format!(
            "{} bytes gzipped (level 9), over the budget of {}: shrink the module (see WASM_RUSTFLAGS in xtask/src/build_wasm.rs)",
            thousands(gzipped),
            thousands(budget)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` bytes that gzip cannot shrink (xorshift noise).
    fn noise(n: usize) -> Vec<u8> {
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        (0..n)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state.to_le_bytes()[0]
            })
            .collect()
    }

    #[test]
    fn a_module_over_the_budget_fails() {
        let violation = check("target/npm/laureate/laureate_bg.wasm", &noise(250_000), GZIP_BUDGET);
        let message = violation.map(|v| v.to_string()).unwrap_or_default();
        assert!(message.starts_with("target/npm/laureate/laureate_bg.wasm:1: 250,"), "{message}");
        assert!(message.contains("over the budget of 240,500"), "{message}");
    }

    #[test]
    fn a_module_that_compresses_under_the_budget_passes() {
        // 600 KB raw, like the real module, but a few hundred bytes gzipped.
        assert_eq!(check("laureate_bg.wasm", &vec![0u8; 600_000], GZIP_BUDGET), None);
        assert_eq!(check("laureate_bg.wasm", &noise(150_000), GZIP_BUDGET), None);
    }

    #[test]
    fn the_shipped_path_is_where_build_wasm_writes_the_module() {
        assert_eq!(shipped_path(), "target/npm/laureate/laureate_bg.wasm");
    }
}
