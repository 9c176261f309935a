//! `exportTrainingRecords`: training records into CSV text (RFC 4180: comma-separated, CRLF
//! line ends, a field quoted only when it holds a comma, a quote or a line break, its quotes
//! doubled by `csv-core`).

use alloc::string::String;
use alloc::vec::Vec;

use super::{COLUMNS, CONTACT_COLUMNS};
use crate::error::{Error, ErrorCode};
use crate::wire::{Contact, ExportTrainingRecordsAnswer, ExportTrainingRecordsRequest};

/// The CSV of the request's records: the header, then one row per record in the request's order.
pub fn export(request: &ExportTrainingRecordsRequest) -> Result<ExportTrainingRecordsAnswer, Error> {
    let mut csv = Csv::new();
    let contacts = request.contacts.as_ref();
    let header = COLUMNS.iter().chain(contacts.map_or(&[][..], |_| &CONTACT_COLUMNS[..]));
    csv.row(header.map(|c| c.as_bytes()));
    let none = Contact::default();
    for record in &request.training_records {
        let contact = contacts.map(|all| all.get(&record.contact).unwrap_or(&none));
        let name = contact.and_then(|c| c.name.as_deref()).unwrap_or(&record.contact);
        let date = record.completion_date.text();
        let cells: [&[u8]; 10] = [
            record.record_id.as_bytes(),
            name.as_bytes(),
            text(&record.record_type),
            text(&record.object_id),
            text(&record.title),
            text(&record.provider),
            date.as_ref().map_or(&[][..], |d| d.as_str().as_bytes()),
            text(&record.other_information),
            text(&record.qualification_code),
            b"0",
        ];
        let extra: Option<[&[u8]; 3]> = contact.map(|c| [text(&c.email), text(&c.first_name), text(&c.last_name)]);
        csv.row(cells.into_iter().chain(extra.into_iter().flatten()));
    }
    String::from_utf8(csv.out)
        .map(|csv| ExportTrainingRecordsAnswer { csv })
        .map_err(|_| Error::new(ErrorCode::Internal, "the exported CSV is not UTF-8", ""))
}

/// An optional member's text, empty when absent.
fn text(value: &Option<String>) -> &[u8] {
    value.as_deref().unwrap_or("").as_bytes()
}

/// The CSV being written.
struct Csv {
    out: Vec<u8>,
}

impl Csv {
    fn new() -> Csv {
        Csv { out: Vec::new() }
    }

    /// Writes one row of fields and its line end.
    fn row<'a>(&mut self, fields: impl Iterator<Item = &'a [u8]>) {
        for (i, field) in fields.enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            self.field(field);
        }
        self.out.extend_from_slice(b"\r\n");
    }

    /// Writes one field, in quotes (its quotes doubled by `csv-core`) when it holds a comma, a
    /// quote or a line break. (`csv_core::Writer` decides the same, but links a float parser for
    /// a quoting style the export does not use.)
    fn field(&mut self, field: &[u8]) {
        if !field.iter().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n')) {
            self.out.extend_from_slice(field);
            return;
        }
        self.out.push(b'"');
        // A quoted field is at most its bytes twice (every quote doubled).
        let start = self.out.len();
        self.out.resize(start.saturating_add(field.len().saturating_mul(2)), 0);
        let written = self.out.get_mut(start..).map_or(0, |free| csv_core::quote(field, free, b'"', b'\\', true).2);
        self.out.truncate(start.saturating_add(written));
        self.out.push(b'"');
    }
}
