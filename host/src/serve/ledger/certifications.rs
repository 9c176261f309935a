//! Certification records (spec.md §7, Recertification records): each `certify` action a
//! decision stored (`store.rs` writes them, `scope.rs` reads a decision's contacts' records back
//! as `evidence.certified`). Here: one record, pages of them, and a revocation, which runs in a
//! write transaction holding the organisation's lock and appends one audit row
//! (`revoke-certification`: the record before and after, as the engine reads it, and the
//! reason).

use sqlx::AnyConnection;

use super::corrections::{Correction, Refused};
use super::store::Audit;
use super::{now, sql, CertificationRecord, Ledger, LedgerError, Revocation, StoredCertification};

/// A certification record's columns, in the order of `sql::select_certified!`.
type CertifiedRow = (
    i64,
    String,
    String,
    String,
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);

/// The certification record of a row.
fn stored_certification(row: CertifiedRow) -> StoredCertification {
    let (number, id, contact, certification, cycle, completed_on, valid_until, certificate, on, by, reason, decision) =
        row;
    let record = CertificationRecord {
        id,
        contact,
        certification,
        cycle,
        completed_on,
        valid_until,
        revoked: on.map(|on| Revocation { on, by, reason }),
    };
    StoredCertification { record, certificate, decision, number }
}

/// Which certification records a list asks for: each filter is left out when `None`; the
/// dates (`YYYY-MM-DD`) bound `completedOn`, both inclusive.
#[derive(Clone, Debug, Default)]
pub struct CertificationFilter {
    pub contact: Option<String>,
    pub certification: Option<String>,
    pub completed_from: Option<String>,
    pub completed_to: Option<String>,
}

/// The revoked certification record, or why it was not revoked (nothing was written).
pub type CertificationRevoked = Result<StoredCertification, Refused>;

async fn certification_on(
    conn: &mut AnyConnection,
    org: &str,
    id: &str,
) -> Result<Option<StoredCertification>, LedgerError> {
    let row: Option<CertifiedRow> = sqlx::query_as(sql::CERTIFIED).bind(org).bind(id).fetch_optional(conn).await?;
    Ok(row.map(stored_certification))
}

impl Ledger {
    /// The certification record `id` of `org`.
    pub async fn certification(&self, org: &str, id: &str) -> Result<Option<StoredCertification>, LedgerError> {
        let mut conn = self.store.pool.pool.acquire().await?;
        certification_on(&mut conn, org, id).await
    }

    /// At most `limit` of `org`'s certification records that `filter` selects, numbered after
    /// `after`, in number order.
    pub async fn certifications(
        &self,
        org: &str,
        filter: &CertificationFilter,
        after: i64,
        limit: i64,
    ) -> Result<Vec<StoredCertification>, LedgerError> {
        let rows: Vec<CertifiedRow> = sqlx::query_as(sql::CERTIFIED_PAGE)
            .bind(org)
            .bind(after)
            .bind(&filter.contact)
            .bind(&filter.certification)
            .bind(&filter.completed_from)
            .bind(&filter.completed_to)
            .bind(limit)
            .fetch_all(&self.store.pool.pool)
            .await?;
        Ok(rows.into_iter().map(stored_certification).collect())
    }

    /// Revokes the certification record `id` of `org` on the date `on`: the engine then never
    /// proposes its cycle again, and the certification starts over from results dated after
    /// `on` (spec.md §7, Recertification records).
    pub async fn revoke_certification(
        &self,
        org: &str,
        id: &str,
        on: &str,
        correction: Correction<'_>,
    ) -> Result<CertificationRevoked, LedgerError> {
        let mut write = self.store.pool.begin_write(org).await?;
        let tx = &mut write.tx;
        let Some(before) = certification_on(tx, org, id).await? else { return Ok(Err(Refused::NotFound)) };
        if before.record.revoked.is_some() {
            return Ok(Err(Refused::AlreadyRevoked));
        }
        sqlx::query(sql::REVOKE_CERTIFIED)
            .bind(org)
            .bind(id)
            .bind(on)
            .bind(correction.actor)
            .bind(correction.reason)
            .execute(&mut **tx)
            .await?;
        let mut after = before.clone();
        after.record.revoked = Some(Revocation {
            on: on.to_owned(),
            by: Some(correction.actor.to_owned()),
            reason: Some(correction.reason.to_owned()),
        });
        let json = |stored: &StoredCertification| serde_json::to_string(&stored.record).unwrap_or_default();
        let (before_json, after_json, at) = (json(&before), json(&after), now());
        let audit = Audit {
            record: Some(&after.record.id),
            before: Some(&before_json),
            after: Some(&after_json),
            reason: Some(correction.reason),
            ..Audit::new(&at, correction.actor, "revoke-certification")
        };
        audit.append(tx, org).await?;
        write.tx.commit().await?;
        Ok(Ok(after))
    }
}
