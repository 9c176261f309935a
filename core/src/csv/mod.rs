//! The training-record CSV (spec.md §12, "Training-record CSV"; seed 004): the LMS's bulk
//! import and export of training records, read and written by `csv-core` (RFC 4180).
//!
//! - `import`: CSV text into training records, deletions and the rows that could not be read.
//! - `export`: training records into CSV text, in the seed's columns.

mod export;
mod import;

pub use export::export;
pub use import::import;

/// The seed's columns, in the seed's order: the header an import needs and an export writes.
pub const COLUMNS: [&str; 10] = [
    "Record Id",
    "Name",
    "Record Type",
    "Object Id",
    "Title",
    "Training Provider",
    "Completion Date",
    "Other Information",
    "Qualification Code",
    "Delete?",
];

/// The columns an export adds when the request has `contacts` (an import ignores them).
pub const CONTACT_COLUMNS: [&str; 3] = ["email", "firstname", "lastname"];

/// A header cell as it is matched: without whitespace, ASCII letters in lower case.
fn normalized(header: &str) -> alloc::string::String {
    header.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_lowercase()).collect()
}
