//! Sizes as the project reports them: raw and gzip -9 bytes, with thousands separators.

use std::io::Write as _;

/// One line of a size report: `label`, the raw and the gzip -9 size of `bytes`.
pub fn size_line(label: &str, bytes: &[u8]) {
    println!("  {label:<30} {:>11} / {:>9}", thousands(bytes.len()), thousands(gzip_size(bytes)));
}

/// The size of `bytes` after gzip -9 (0 if compression fails).
pub fn gzip_size(bytes: &[u8]) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).and_then(|()| encoder.finish()).map(|gz| gz.len()).unwrap_or(0)
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}
