//! The ledger's statements: one text for every database (`$n` parameters, which SQLite reads
//! too; `ON CONFLICT` upserts, which both have).

pub const INSERT_ORG: &str = "INSERT INTO orgs (id, created_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING";
pub const INSERT_TOKEN: &str =
    "INSERT INTO tokens (id, org, role, hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)";

pub const LAST_RULEBOOK_VERSION: &str = "SELECT COALESCE(MAX(version), 0) FROM rulebooks WHERE org = $1";
pub const INSERT_RULEBOOK: &str =
    "INSERT INTO rulebooks (org, version, rulebook, created_at, actor) VALUES ($1, $2, $3, $4, $5)";
pub const CURRENT_RULEBOOK: &str =
    "SELECT version, rulebook FROM rulebooks WHERE org = $1 ORDER BY version DESC LIMIT 1";

/// Every column of a record, in the order of `reads::RecordRow`.
macro_rules! record_columns {
    () => {
        "number, id, achievement, contact, learner, event, path, awarded_on, valid_from, expires_on, \
         identifier, revoked_on, revoked_by, revoked_reason, decision"
    };
}

/// `SELECT` every column of a record, in the order of `reads::RecordRow`.
macro_rules! select_records {
    () => {
        concat!("SELECT ", record_columns!(), " FROM records")
    };
}

/// The start of a decision's scope's `SELECT` of records (it adds its `WHERE`): a record's
/// columns and a `cycle` that is `NULL` (typed, so that PostgreSQL matches it with the
/// certification records' `cycle` in the same `UNION ALL`).
pub const SELECT_SCOPE_RECORDS: &str = concat!("SELECT ", record_columns!(), ", CAST(NULL AS BIGINT) FROM records");
/// A decision's scope reads records and certification records in one statement (`UNION ALL`),
/// so both read as one row shape: a record's columns (`select_records!`) and a last column,
/// `cycle`, which is `NULL` for a record. This is the `SELECT` of the certification records in
/// that shape: `certification` in the place of `achievement`, `certificate` of `learner`,
/// `completed_on` of `awarded_on` and `valid_from`, `valid_until` of `expires_on`
/// (`scope::certified_record` maps them back).
pub const SELECT_CERTIFIED_AS_RECORDS: &str = "SELECT number, id, certification, contact, certificate, NULL, NULL, \
     completed_on, completed_on, valid_until, NULL, revoked_on, revoked_by, revoked_reason, decision, cycle \
     FROM certification_records";
pub const COUNTERS: &str = "SELECT next_record, next_audit, next_decision FROM orgs WHERE id = $1";

/// What a decision reads of its organisations in one statement, under their locks: each one's
/// id, counters, the outbox's next queue position (the largest + 1), then the current
/// rulebook's version and text (`NULL` before the first `PUT`). Followed by the ids' list,
/// `(…)`.
pub const ORG_STATES: &str = "SELECT o.id, o.next_record, o.next_audit, o.next_decision, o.next_certification, \
     (SELECT COALESCE(MAX(number), 0) + 1 FROM outbox WHERE org = o.id), r.version, r.rulebook \
     FROM orgs o LEFT JOIN rulebooks r \
     ON r.org = o.id AND r.version = (SELECT MAX(version) FROM rulebooks WHERE org = o.id) WHERE o.id IN ";
/// The sequences of some organisations, followed by the ids' list, `(…)`.
pub const SEQUENCE_STATES: &str = "SELECT org, sequence, next FROM sequence_state WHERE org IN ";
/// Stores organisations' counters, each row `(id, created_at, next_record, next_audit,
/// next_decision, next_certification)` of an organisation that exists (so `created_at` is
/// not written): a multi-row update in one statement that both databases run.
pub const UPSERT_COUNTERS: &str =
    "INSERT INTO orgs (id, created_at, next_record, next_audit, next_decision, next_certification) VALUES ";
pub const UPSERT_COUNTERS_CONFLICT: &str = " ON CONFLICT (id) DO UPDATE SET next_record = excluded.next_record, \
     next_audit = excluded.next_audit, next_decision = excluded.next_decision, \
     next_certification = excluded.next_certification";

pub const DECISION_BY_KEY: &str = "SELECT request_hash, answer FROM decisions WHERE org = $1 AND idempotency_key = $2";

// Multi-row inserts: each is followed by [`values`] (and `UPSERT_SEQUENCES` by its `ON CONFLICT`).
pub const INSERT_DECISIONS: &str = "INSERT INTO decisions (org, id, idempotency_key, request_hash, answer, \
     rulebook_version, actor, created_at) VALUES ";
pub const INSERT_RECORDS: &str = "INSERT INTO records (org, id, number, achievement, contact, learner, event, path, \
     awarded_on, valid_from, expires_on, identifier, certificate, decision, created_at) VALUES ";
pub const INSERT_CERTIFIED: &str = "INSERT INTO certification_records (org, id, number, contact, certification, \
     cycle, completed_on, valid_until, certificate, decision, created_at) VALUES ";
pub const UPSERT_SEQUENCES: &str = "INSERT INTO sequence_state (org, sequence, next) VALUES ";
pub const UPSERT_SEQUENCES_CONFLICT: &str = " ON CONFLICT (org, sequence) DO UPDATE SET next = excluded.next";
pub const INSERT_AUDIT: &str =
    "INSERT INTO audit (org, number, at, actor, action, record, decision, before, after, reason) VALUES ";
/// The most rows one multi-row insert writes (500 records are 7,500 parameters: SQLite allows
/// 32,766, PostgreSQL 65,535).
pub const ROWS_PER_INSERT: usize = 500;
/// Queues notifications (a decision's transaction leaves out those whose key is queued
/// already: [`SELECT_OUTBOX_KEYS`]).
pub const INSERT_OUTBOX: &str = "INSERT INTO outbox (org, key, action, decision, created_at, number) VALUES ";
/// The start of a `SELECT` of the organisation's queued keys among some (it adds its `WHERE`).
pub const SELECT_OUTBOX_KEYS: &str = "SELECT org, key FROM outbox";
pub const SET_NEXT_AUDIT: &str = "UPDATE orgs SET next_audit = $2 WHERE id = $1";

/// The `VALUES` list of `rows` rows of `columns` parameters each, numbered from `$1` row by row:
/// `($1, $2), ($3, $4)`.
pub fn values(rows: usize, columns: usize) -> String {
    let row = |first: usize| {
        let parameters: Vec<String> = (first..first + columns).map(|n| format!("${n}")).collect();
        format!("({})", parameters.join(", "))
    };
    let rows: Vec<String> = (0..rows).map(|r| row(1 + r * columns)).collect();
    rows.join(", ")
}

// Reads: one record, a page of records (each filter `NULL` when not asked for), a page of the
// audit log.
pub const RECORD: &str = concat!(select_records!(), " WHERE org = $1 AND id = $2");
pub const RECORDS_PAGE: &str = concat!(
    select_records!(),
    " WHERE org = $1 AND number > $2 AND ($3 IS NULL OR achievement = $3) AND ($4 IS NULL OR contact = $4) \
     AND ($5 IS NULL OR awarded_on >= $5) AND ($6 IS NULL OR awarded_on <= $6) ORDER BY number LIMIT $7"
);
pub const AUDIT_PAGE: &str = "SELECT number, at, actor, action, record, decision, before, after, reason FROM audit \
     WHERE org = $1 AND number > $2 AND ($3 IS NULL OR record = $3) ORDER BY number LIMIT $4";

/// `SELECT` every column of a certification record, in the order of
/// `certifications::CertifiedRow`.
macro_rules! select_certified {
    () => {
        "SELECT number, id, contact, certification, cycle, completed_on, valid_until, certificate, revoked_on, \
         revoked_by, revoked_reason, decision FROM certification_records"
    };
}

// Certification records: one, a page (each filter `NULL` when not asked for).
pub const CERTIFIED: &str = concat!(select_certified!(), " WHERE org = $1 AND id = $2");
pub const CERTIFIED_PAGE: &str = concat!(
    select_certified!(),
    " WHERE org = $1 AND number > $2 AND ($3 IS NULL OR contact = $3) AND ($4 IS NULL OR certification = $4) \
     AND ($5 IS NULL OR completed_on >= $5) AND ($6 IS NULL OR completed_on <= $6) ORDER BY number LIMIT $7"
);
pub const REVOKE_CERTIFIED: &str = "UPDATE certification_records SET revoked_on = $3, revoked_by = $4, \
     revoked_reason = $5 WHERE org = $1 AND id = $2";

// Corrections.
pub const REVOKE_RECORD: &str =
    "UPDATE records SET revoked_on = $3, revoked_by = $4, revoked_reason = $5 WHERE org = $1 AND id = $2";
pub const SET_EXPIRY: &str = "UPDATE records SET expires_on = $3 WHERE org = $1 AND id = $2";

/// PostgreSQL only: a writer's lock on its organisation, held to the end of the transaction.
pub const LOCK_ORG: &str = "SELECT id FROM orgs WHERE id = $1 FOR UPDATE";

// Tokens: authentication, revocation, `laureate token list`.
pub const TOKEN_BY_HASH: &str = "SELECT id, org, role, expires_at, revoked_at FROM tokens WHERE hash = $1";
/// Revokes a token, keeping the time of a first revocation.
pub const REVOKE_TOKEN: &str = "UPDATE tokens SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1";
pub const ORG_EXISTS: &str = "SELECT COUNT(*) FROM orgs WHERE id = $1";
pub const TOKENS_OF_ORG: &str =
    "SELECT id, role, created_at, expires_at, revoked_at FROM tokens WHERE org = $1 ORDER BY created_at, id";

// Notifications: the outbox in queue order, and acknowledgements.
pub const NOTIFICATIONS: &str = "SELECT number, key, action, decision, created_at, acknowledged_at FROM outbox \
     WHERE org = $1 AND number > $2 ORDER BY number LIMIT $3";
pub const PENDING_NOTIFICATIONS: &str = "SELECT number, key, action, decision, created_at, acknowledged_at \
     FROM outbox WHERE org = $1 AND number > $2 AND acknowledged_at IS NULL ORDER BY number LIMIT $3";
pub const ACKNOWLEDGED_NOTIFICATIONS: &str = "SELECT number, key, action, decision, created_at, acknowledged_at \
     FROM outbox WHERE org = $1 AND number > $2 AND acknowledged_at IS NOT NULL ORDER BY number LIMIT $3";
/// Acknowledges a pending notification (one already acknowledged keeps its first time).
pub const ACKNOWLEDGE: &str = "UPDATE outbox SET acknowledged_at = $3, acknowledged_by = $4 \
     WHERE org = $1 AND key = $2 AND acknowledged_at IS NULL";
pub const OUTBOX_HAS_KEY: &str = "SELECT COUNT(*) FROM outbox WHERE org = $1 AND key = $2";

// Verification: the records of a certificate number in every organisation (index
// `records_identifier`), with the version of their organisation's current rulebook.
pub const RECORDS_BY_IDENTIFIER: &str = "SELECT r.org, r.achievement, r.awarded_on, r.valid_from, r.expires_on, \
     r.revoked_on, (SELECT MAX(b.version) FROM rulebooks b WHERE b.org = r.org) \
     FROM records r WHERE r.identifier = $1 ORDER BY r.org";
pub const RULEBOOK_VERSION: &str = "SELECT rulebook FROM rulebooks WHERE org = $1 AND version = $2";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_number_the_parameters_row_by_row() {
        assert_eq!(values(1, 3), "($1, $2, $3)");
        assert_eq!(values(2, 2), "($1, $2), ($3, $4)");
    }
}
