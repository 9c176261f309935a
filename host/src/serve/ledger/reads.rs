//! The ledger's reads: one record, pages of records and of the audit log (in number order, after
//! a position), and what a contact's holdings are computed from (its records and certification
//! records). The one mapping of a record
//! row ([`stored_record`]) serves every query that reads records.

use sqlx::AnyConnection;

use super::scope::{self, Scope, ScopeRecords};
use super::{sql, IssuedRecord, Ledger, LedgerError, Revocation, StoredRecord};

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

/// The record `id` of `org`, read on `conn` (inside a write transaction, under its lock).
pub(super) async fn record_on(
    conn: &mut AnyConnection,
    org: &str,
    id: &str,
) -> Result<Option<StoredRecord>, LedgerError> {
    let row: Option<RecordRow> = sqlx::query_as(sql::RECORD).bind(org).bind(id).fetch_optional(conn).await?;
    Ok(row.map(stored_record))
}

/// Which records a list asks for: each filter is left out when `None`; the dates (`YYYY-MM-DD`)
/// bound `awardedOn`, both inclusive.
#[derive(Clone, Debug, Default)]
pub struct RecordFilter {
    pub achievement: Option<String>,
    pub contact: Option<String>,
    pub awarded_from: Option<String>,
    pub awarded_to: Option<String>,
}

/// One row of the audit log, `before` and `after` as the JSON text stored.
#[derive(Clone, Debug)]
pub struct AuditEntry {
    pub number: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub record: Option<String>,
    pub decision: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: Option<String>,
}

type AuditRow =
    (i64, String, String, String, Option<String>, Option<String>, Option<String>, Option<String>, Option<String>);

impl Ledger {
    /// The record `id` of `org`.
    pub async fn record(&self, org: &str, id: &str) -> Result<Option<StoredRecord>, LedgerError> {
        let mut conn = self.store.pool.pool.acquire().await?;
        record_on(&mut conn, org, id).await
    }

    /// At most `limit` of `org`'s records that `filter` selects, numbered after `after`, in
    /// number order.
    pub async fn records(
        &self,
        org: &str,
        filter: &RecordFilter,
        after: i64,
        limit: i64,
    ) -> Result<Vec<StoredRecord>, LedgerError> {
        let rows: Vec<RecordRow> = sqlx::query_as(sql::RECORDS_PAGE)
            .bind(org)
            .bind(after)
            .bind(&filter.achievement)
            .bind(&filter.contact)
            .bind(&filter.awarded_from)
            .bind(&filter.awarded_to)
            .bind(limit)
            .fetch_all(&self.store.pool.pool)
            .await?;
        Ok(rows.into_iter().map(stored_record).collect())
    }

    /// What `contact`'s holdings are computed from, read at one moment: `org`'s current rulebook
    /// (version and text), and the contact's records and certification records in number order
    /// (one statement, a decision's scope of that one contact).
    pub async fn contact_records(
        &self,
        org: &str,
        contact: &str,
    ) -> Result<(Option<(i64, String)>, ScopeRecords), LedgerError> {
        let mut tx = self.store.pool.begin_read().await?;
        let rulebook: Option<(i64, String)> =
            sqlx::query_as(sql::CURRENT_RULEBOOK).bind(org).fetch_optional(&mut *tx).await?;
        let scope = Scope { contacts: [contact.to_owned()].into(), ..Scope::default() };
        let records = scope::records(&mut tx, org, &scope, true).await?;
        tx.commit().await?;
        Ok((rulebook, records))
    }

    /// At most `limit` rows of `org`'s audit log numbered after `after` (only those of `record`
    /// when given), in number order.
    pub async fn audit(
        &self,
        org: &str,
        record: Option<&str>,
        after: i64,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, LedgerError> {
        let rows: Vec<AuditRow> = sqlx::query_as(sql::AUDIT_PAGE)
            .bind(org)
            .bind(after)
            .bind(record)
            .bind(limit)
            .fetch_all(&self.store.pool.pool)
            .await?;
        let entry = |(number, at, actor, action, record, decision, before, after, reason): AuditRow| AuditEntry {
            number,
            at,
            actor,
            action,
            record,
            decision,
            before,
            after,
            reason,
        };
        Ok(rows.into_iter().map(entry).collect())
    }
}
