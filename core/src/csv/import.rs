//! `importTrainingRecords`: CSV text into training records. `csv-core` splits the text into
//! fields (RFC 4180: quoted fields, doubled quotes, CRLF, LF or CR line ends); this module maps
//! the header onto the seed's columns, checks each row and numbers the rows as a spreadsheet
//! shows them.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use csv_core::{ReadFieldResult, Reader};

use super::{normalized, COLUMNS};
use crate::calendar::Date;
use crate::error::{Error, ErrorCode};
use crate::limits::Limits;
use crate::wire::scalar::Shown;
use crate::wire::{
    import_contact, CsvErrorCode, CsvRowError, ImportContact, ImportTrainingRecordsAnswer,
    ImportTrainingRecordsRequest, TrainingRecord,
};

/// The columns by their index in [`COLUMNS`].
const RECORD_ID: usize = 0;
const NAME: usize = 1;
const COMPLETION_DATE: usize = 6;
const DELETE: usize = 9;

/// Reads the request's CSV. Rows that cannot be read are reported and skipped; only a limit
/// (docs/limits.md) stops the import, as the `limit-exceeded` error at `/csv`.
pub fn import(request: &ImportTrainingRecordsRequest, limits: &Limits) -> Result<ImportTrainingRecordsAnswer, Error> {
    // `csv-core` skips a byte order mark at the start of the text.
    let mut fields = Fields::new(request.csv.as_bytes(), limits);
    let mut answer = ImportTrainingRecordsAnswer { records: Vec::new(), deletions: Vec::new(), rows: Vec::new() };

    // The header: each file column's place among the seed's columns.
    let Some(header) = fields.record(limits, |_| true)? else {
        answer.rows.push(row_error(1, None, CsvErrorCode::CsvMissingColumn, "the file has no header row".into()));
        return Ok(answer);
    };
    if let Some((_, reason)) = header.malformed {
        answer.rows.push(row_error(header.row, None, CsvErrorCode::CsvMalformed, reason.into()));
        return Ok(answer);
    }
    let mut places: Vec<Option<usize>> = Vec::with_capacity(header.cells.len());
    let mut found: [Option<usize>; 10] = [None; 10];
    for (position, cell) in header.cells.iter().enumerate() {
        let key = normalized(cell);
        let column = COLUMNS.iter().position(|c| normalized(c) == key);
        if let Some((column, first)) = column.and_then(|c| found.get_mut(c).map(|first| (c, first))) {
            if let Some(earlier) = *first {
                let message =
                    format!("the header names `{}` twice: columns {} and {}", name(column), earlier + 1, position + 1);
                answer.rows.push(row_error(header.row, Some(name(column)), CsvErrorCode::CsvDuplicateColumn, message));
            } else {
                *first = Some(position);
            }
        }
        places.push(column);
    }
    for (column, place) in found.iter().enumerate() {
        if place.is_none() {
            let message = format!("the header has no `{}` column", name(column));
            answer.rows.push(row_error(header.row, Some(name(column)), CsvErrorCode::CsvMissingColumn, message));
        }
    }
    if !answer.rows.is_empty() {
        crate::order::sort_by(&mut answer.rows, |a, b| column_order(a).cmp(&column_order(b)));
        return Ok(answer);
    }

    let contacts = request.contacts.as_ref().map(ContactIndex::new);
    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    let mut rows: usize = 0;
    while let Some(row) = fields.record(limits, |position| places.get(position).copied().flatten().is_some())? {
        rows += 1;
        if rows > limits.max_items {
            return Err(Error::new(
                ErrorCode::LimitExceeded,
                format!("row {}: the file has more than {} rows after its header", row.row, limits.max_items),
                "/csv",
            ));
        }
        if row.cells.iter().all(String::is_empty) && row.malformed.is_none() {
            continue;
        }
        let mut cells: [String; 10] = Default::default();
        for (position, cell) in row.cells.into_iter().enumerate() {
            if let Some(slot) = places.get(position).copied().flatten().and_then(|c| cells.get_mut(c)) {
                *slot = cell;
            }
        }
        if let Some((position, reason)) = row.malformed {
            let column = places.get(position).copied().flatten().map(name);
            answer.rows.push(row_error(row.row, column, CsvErrorCode::CsvMalformed, reason.into()));
            continue;
        }
        read_row(row.row, cells, contacts.as_ref(), &mut seen, &mut answer);
    }
    Ok(answer)
}

/// Checks one data row and adds its record, its deletion or its errors (in the seed's column
/// order) to the answer.
fn read_row(
    row: u32,
    cells: [String; 10],
    contacts: Option<&ContactIndex>,
    seen: &mut BTreeMap<String, u32>,
    answer: &mut ImportTrainingRecordsAnswer,
) {
    let [record_id, name_cell, record_type, object_id, title, provider, date, other, code, delete] = cells;
    let mut errors = Vec::new();
    macro_rules! error {
        ($column:expr, $code:expr, $message:expr) => {
            errors.push(row_error(row, Some(name($column)), $code, $message))
        };
    }

    let blank = |cell: &str| cell.trim().is_empty();
    if blank(&record_id) {
        error!(RECORD_ID, CsvErrorCode::CsvEmptyRequired, format!("`{}` is empty", name(RECORD_ID)));
    } else if let Some(earlier) = seen.get(&record_id) {
        let message = format!("record `{}` is also on row {earlier}", Shown(&record_id));
        error!(RECORD_ID, CsvErrorCode::CsvDuplicateRecord, message);
    } else {
        seen.insert(record_id.clone(), row);
    }

    let deleted = match delete.trim() {
        "" | "0" => Some(false),
        "1" => Some(true),
        other => {
            let message = format!("`{}` is not `1` (delete), `0` or empty (keep)", Shown(other));
            error!(DELETE, CsvErrorCode::CsvBadDelete, message);
            None
        }
    };
    if deleted != Some(false) {
        // A deletion needs only its record id; a row whose intent is unknown is not read further.
        if errors.is_empty() && deleted == Some(true) {
            answer.deletions.push(record_id);
        }
        answer.rows.append(&mut errors);
        return;
    }

    let contact = if blank(&name_cell) {
        error!(NAME, CsvErrorCode::CsvEmptyRequired, format!("`{}` is empty", name(NAME)));
        None
    } else {
        match contacts.map_or(Ok(name_cell.as_str()), |c| c.resolve(&name_cell)) {
            Ok(contact) => Some(String::from(contact)),
            Err((code, message)) => {
                error!(NAME, code, message);
                None
            }
        }
    };
    let completion_date = if blank(&date) {
        error!(COMPLETION_DATE, CsvErrorCode::CsvEmptyRequired, format!("`{}` is empty", name(COMPLETION_DATE)));
        None
    } else {
        let parsed = parse_date(date.trim());
        if parsed.is_none() {
            let message = format!("`{}` is not a date `YYYY-MM-DD`", Shown(&date));
            error!(COMPLETION_DATE, CsvErrorCode::CsvBadDate, message);
        }
        parsed
    };
    crate::order::sort_by(&mut errors, |a, b| column_order(a).cmp(&column_order(b)));
    match (contact, completion_date) {
        (Some(contact), Some(completion_date)) if errors.is_empty() => {
            let optional = |cell: String| (!cell.is_empty()).then_some(cell);
            answer.records.push(TrainingRecord {
                record_id,
                contact,
                record_type: optional(record_type),
                object_id: optional(object_id),
                title: optional(title),
                provider: optional(provider),
                completion_date,
                qualification_code: optional(code),
                other_information: optional(other),
            });
        }
        _ => answer.rows.append(&mut errors),
    }
}

/// A completion date: `YYYY-MM-DD`, optionally followed by a time of day (`T` or a space, then
/// `HH:MM` or `HH:MM:SS`), as spreadsheets write a date cell; the time is not used.
fn parse_date(text: &str) -> Option<Date> {
    let (date, time) = text.split_at_checked(10)?;
    let date = Date::parse(date)?;
    if time.is_empty() {
        return Some(date);
    }
    let time = time.strip_prefix('T').or_else(|| time.strip_prefix(' '))?;
    let parts: Vec<&str> = time.split(':').collect();
    let valid = |(part, max): (&&str, u32)| {
        part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit()) && part.parse::<u32>().is_ok_and(|n| n <= max)
    };
    ((2..=3).contains(&parts.len()) && parts.iter().zip([23, 59, 59]).all(valid)).then_some(date)
}

/// The seed's name of the column at `index` of [`COLUMNS`].
fn name(index: usize) -> &'static str {
    COLUMNS.get(index).copied().unwrap_or("")
}

/// Where an error's column is among the seed's columns (a row's errors are in that order).
fn column_order(error: &CsvRowError) -> Option<usize> {
    error.column.and_then(|c| COLUMNS.iter().position(|n| *n == c))
}

fn row_error(row: u32, column: Option<&'static str>, code: CsvErrorCode, message: String) -> CsvRowError {
    CsvRowError { row, column, code, message }
}

/// The request's contacts, found by the name the CSV shows or by contact id.
struct ContactIndex<'a> {
    by_name: BTreeMap<&'a str, Vec<&'a str>>,
    /// The contact ids (as keys: a map of the same type as `by_name`, whose values stay empty,
    /// costs the shipped module no second map's code).
    ids: BTreeMap<&'a str, Vec<&'a str>>,
}

impl<'a> ContactIndex<'a> {
    /// Each member is `name → contact id` (a string) or `contact id → contact` (an object);
    /// other members were refused when the request was read.
    fn new(contacts: &'a serde_json::Value) -> ContactIndex<'a> {
        let mut by_name: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let mut ids: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let members = contacts.as_object().into_iter().flatten();
        for (member, contact) in members {
            let (name, id) = match import_contact(contact, "") {
                Ok(ImportContact::Id(id)) => (Some(member.as_str()), id),
                Ok(ImportContact::Contact { name }) => (name, member.as_str()),
                Err(_) => continue,
            };
            if let Some(name) = name {
                let named = by_name.entry(name).or_default();
                if !named.contains(&id) {
                    named.push(id);
                }
            }
            ids.insert(id, Vec::new());
        }
        ContactIndex { by_name, ids }
    }

    /// The contact id a `Name` cell stands for: the one contact of that name, else the contact
    /// of that id.
    fn resolve(&self, cell: &str) -> Result<&'a str, (CsvErrorCode, String)> {
        match self.by_name.get(cell).map(Vec::as_slice) {
            Some([id]) => Ok(*id),
            Some([first, second, ..]) => Err((
                CsvErrorCode::CsvAmbiguousContact,
                format!(
                    "`{}` is the name of more than one contact (`{}`, `{}`)",
                    Shown(cell),
                    Shown(first),
                    Shown(second)
                ),
            )),
            _ => match self.ids.get_key_value(cell) {
                Some((id, _)) => Ok(*id),
                None => Err((
                    CsvErrorCode::CsvUnknownContact,
                    format!("`{}` is neither a contact's name nor a contact id", Shown(cell)),
                )),
            },
        }
    }
}

/// One record of the file as read: its row number, its fields (those `keep` asks for, the
/// others empty) and its first malformed field (position, reason).
struct Record {
    row: u32,
    cells: Vec<String>,
    malformed: Option<(usize, &'static str)>,
}

/// The fields of the CSV text, one at a time, with the spreadsheet row of each record.
struct Fields<'a> {
    reader: Reader,
    input: &'a [u8],
    pos: usize,
    /// A field's unquoted bytes: one more than the longest field allowed.
    buf: Vec<u8>,
    /// The row of the record being read, and of the one before it.
    row: u32,
    /// The last byte read (a record that ends with `\r` may be followed by its `\n`).
    last: Option<u8>,
    done: bool,
}

impl<'a> Fields<'a> {
    fn new(input: &'a [u8], limits: &Limits) -> Fields<'a> {
        Fields {
            reader: Reader::new(),
            input,
            pos: 0,
            buf: alloc::vec![0; limits.max_string_bytes.saturating_add(1)],
            row: 0,
            last: None,
            done: false,
        }
    }

    /// The next record, or `None` at the end of the text; the fields at positions `keep` refuses
    /// are read (and checked) but not kept.
    fn record(&mut self, limits: &Limits, keep: impl Fn(usize) -> bool) -> Result<Option<Record>, Error> {
        let mut record = Record { row: 0, cells: Vec::new(), malformed: None };
        let mut position = 0;
        loop {
            let start = self.pos;
            let mut len = 0;
            let (record_end, at_eof) = loop {
                let input = self.input.get(self.pos..).unwrap_or_default();
                let out = self.buf.get_mut(len..).unwrap_or_default();
                let (result, nin, nout) = self.reader.read_field(input, out);
                self.pos += nin;
                len += nout;
                match result {
                    ReadFieldResult::InputEmpty if !input.is_empty() => {}
                    ReadFieldResult::InputEmpty | ReadFieldResult::End => {
                        self.done = true;
                        return Ok(None);
                    }
                    ReadFieldResult::OutputFull => {
                        return Err(Error::new(
                            ErrorCode::LimitExceeded,
                            format!(
                                "row {}, column {}: a field longer than {} bytes",
                                self.row.saturating_add(u32::from(position == 0)),
                                position + 1,
                                limits.max_string_bytes
                            ),
                            "/csv",
                        ));
                    }
                    ReadFieldResult::Field { record_end } => break (record_end, input.is_empty()),
                }
            };
            let mut raw = self.input.get(start..self.pos).unwrap_or_default();
            if !at_eof {
                // The delimiter or line end that ended the field.
                raw = raw.split_last().map_or(raw, |(_, field)| field);
            }
            if start == 0 {
                raw = raw.strip_prefix(b"\xef\xbb\xbf").unwrap_or(raw);
            }
            if position == 0 {
                raw = self.start_row(raw);
                record.row = self.row;
            }
            self.last = self.pos.checked_sub(1).and_then(|last| self.input.get(last)).copied();
            if position >= limits.max_csv_columns {
                return Err(Error::new(
                    ErrorCode::LimitExceeded,
                    format!("row {}: more than {} columns", record.row, limits.max_csv_columns),
                    "/csv",
                ));
            }
            if record.malformed.is_none() {
                record.malformed = malformed(raw).map(|reason| (position, reason));
            }
            let text = if keep(position) {
                // The text is UTF-8 and the reader splits it at ASCII bytes only.
                let bytes = self.buf.get(..len).unwrap_or_default();
                String::from(core::str::from_utf8(bytes).unwrap_or_default())
            } else {
                String::new()
            };
            record.cells.push(text);
            position += 1;
            if record_end {
                return Ok(Some(record));
            }
        }
    }

    /// Starts a record whose first field's bytes are `raw`: counts the blank lines before it
    /// (rows a spreadsheet shows) and returns the field without them.
    fn start_row(&mut self, raw: &'a [u8]) -> &'a [u8] {
        let blank = raw.iter().take_while(|b| matches!(b, b'\r' | b'\n')).count();
        let (lines, field) = raw.split_at_checked(blank).unwrap_or((&[], raw));
        // A `\n` right after the previous record's `\r` ends that record, not a blank line.
        let lines = match (self.last, lines.split_first()) {
            (Some(b'\r'), Some((b'\n', rest))) => rest,
            _ => lines,
        };
        let mut breaks: u32 = 0;
        let mut bytes = lines.iter().peekable();
        while let Some(byte) = bytes.next() {
            if *byte == b'\r' {
                bytes.next_if_eq(&&b'\n');
            }
            breaks = breaks.saturating_add(1);
        }
        self.row = self.row.saturating_add(1).saturating_add(breaks);
        field
    }
}

/// Why a field's bytes, as written in the file, are not RFC 4180: a quoted field must end with
/// its closing quote. (A quote inside an unquoted field is kept as text, as spreadsheets do.)
fn malformed(raw: &[u8]) -> Option<&'static str> {
    let mut rest = raw.strip_prefix(b"\"")?;
    loop {
        let Some(quote) = rest.iter().position(|b| *b == b'"') else {
            return Some("a quoted field is not closed before the end of the file");
        };
        let after = rest.get(quote + 1..).unwrap_or_default();
        match after.split_first() {
            None => return None,
            Some((b'"', more)) => rest = more,
            Some(_) => return Some("text follows the closing quote of a quoted field"),
        }
    }
}
