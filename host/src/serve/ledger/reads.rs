//! The ledger's reads. The one mapping of a record row ([`stored_record`]) serves every query
//! that reads records.

use super::{IssuedRecord, Revocation, StoredRecord};

/// A record's columns, in the order of `sql::select_records!`.
pub(super) type RecordRow = (
    i64,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);

/// The record of a row.
pub(super) fn stored_record(row: RecordRow) -> StoredRecord {
    let (
        number,
        id,
        achievement,
        contact,
        learner,
        event,
        path,
        awarded_on,
        valid_from,
        expires_on,
        identifier,
        on,
        by,
        reason,
        decision,
    ) = row;
    let record = IssuedRecord {
        id,
        achievement,
        contact,
        learner,
        event,
        path,
        awarded_on,
        valid_from,
        expires_on,
        identifier,
        revoked: on.map(|on| Revocation { on, by, reason }),
    };
    StoredRecord { record, decision, number }
}
