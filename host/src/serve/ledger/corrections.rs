//! Corrections of issued records: revoking one and editing its expiry. Each runs in a write
//! transaction holding the organisation's lock and appends one audit row, the record before and
//! after (as the engine reads it, `evidence.issued`) and the reason. A reissue revokes inside a
//! decision's transaction ([`DecisionTx::revoke`]), so the evaluation sees the record revoked.

use sqlx::AnyConnection;

use super::reads::record_on;
use super::store::Audit;
use super::{decision_id, now, sql, DecisionTx, Ledger, LedgerError, Revocation, StoredRecord};

/// Who corrects a record, and why.
#[derive(Clone, Copy, Debug)]
pub struct Correction<'a> {
    /// The token id, the audit row's `actor` (and a revocation's `by`).
    pub actor: &'a str,
    /// Why: the audit row's `reason` (and a revocation's).
    pub reason: &'a str,
}

/// Why a correction was not made (nothing was written).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refused {
    /// The organisation has no record with that id.
    NotFound,
    /// Revoking a record that is revoked already.
    AlreadyRevoked,
    /// Editing a revoked record.
    Revoked,
    /// An `expiresOn` before the record's `validFrom`.
    ExpiresBeforeValidFrom { valid_from: String },
}

/// The corrected record, or why it was not corrected.
pub type Corrected = Result<StoredRecord, Refused>;

impl Ledger {
    /// Revokes the record `id` of `org` on the date `on`.
    pub async fn revoke(
        &self,
        org: &str,
        id: &str,
        on: &str,
        correction: Correction<'_>,
    ) -> Result<Corrected, LedgerError> {
        let mut write = self.store.pool.begin_write(org).await?;
        let corrected = revoke_on(&mut write.tx, org, id, on, correction, None).await?;
        if corrected.is_ok() {
            write.tx.commit().await?;
        }
        Ok(corrected)
    }

    /// Sets the `expiresOn` of the record `id` of `org` (`None`: it never expires).
    pub async fn edit_expiry(
        &self,
        org: &str,
        id: &str,
        expires_on: Option<&str>,
        correction: Correction<'_>,
    ) -> Result<Corrected, LedgerError> {
        let mut write = self.store.pool.begin_write(org).await?;
        let tx = &mut write.tx;
        let Some(before) = record_on(tx, org, id).await? else { return Ok(Err(Refused::NotFound)) };
        if before.record.revoked.is_some() {
            return Ok(Err(Refused::Revoked));
        }
        // Dates are `YYYY-MM-DD`: their text orders them.
        if expires_on.is_some_and(|expires_on| expires_on < before.record.valid_from.as_str()) {
            return Ok(Err(Refused::ExpiresBeforeValidFrom { valid_from: before.record.valid_from }));
        }
        sqlx::query(sql::SET_EXPIRY).bind(org).bind(id).bind(expires_on).execute(&mut **tx).await?;
        let mut after = before.clone();
        after.record.expires_on = expires_on.map(str::to_owned);
        append(tx, org, "edit-expiry", (&before, &after), correction, None).await?;
        write.tx.commit().await?;
        Ok(Ok(after))
    }
}

impl DecisionTx {
    /// Revokes `org`'s record `id` on `on` within the decision this transaction makes next,
    /// before it evaluates: the audit row names that decision, and the state it reads
    /// ([`DecisionTx::state`]) shows the record revoked.
    pub async fn revoke(
        &mut self,
        org: &str,
        id: &str,
        on: &str,
        correction: Correction<'_>,
    ) -> Result<Corrected, LedgerError> {
        let counters = self.org(org).await?.counters;
        let decision = decision_id(counters.decision);
        let numbered = Some((decision.as_str(), counters.audit));
        let corrected = revoke_on(&mut self.write.tx, org, id, on, correction, numbered).await?;
        if let (Ok(_), Some(entry)) = (&corrected, self.orgs.get_mut(org)) {
            // The commit stores the counters.
            entry.counters.audit += 1;
        }
        Ok(corrected)
    }
}

/// Revokes the record on `conn`, which holds the organisation's lock; `decision` is the
/// decision the revocation belongs to (a reissue's) and its audit row's number.
async fn revoke_on(
    conn: &mut AnyConnection,
    org: &str,
    id: &str,
    on: &str,
    correction: Correction<'_>,
    decision: Option<(&str, i64)>,
) -> Result<Corrected, LedgerError> {
    let Some(before) = record_on(conn, org, id).await? else { return Ok(Err(Refused::NotFound)) };
    if before.record.revoked.is_some() {
        return Ok(Err(Refused::AlreadyRevoked));
    }
    sqlx::query(sql::REVOKE_RECORD)
        .bind(org)
        .bind(id)
        .bind(on)
        .bind(correction.actor)
        .bind(correction.reason)
        .execute(&mut *conn)
        .await?;
    let mut after = before.clone();
    after.record.revoked = Some(Revocation {
        on: on.to_owned(),
        by: Some(correction.actor.to_owned()),
        reason: Some(correction.reason.to_owned()),
    });
    append(conn, org, "revoke", (&before, &after), correction, decision).await?;
    Ok(Ok(after))
}

/// Appends the audit row of a correction: the record before and after, and the reason. In a
/// decision (`decision`: its id and the row's number) the row takes the number given; on its
/// own, the organisation's next.
async fn append(
    conn: &mut AnyConnection,
    org: &str,
    action: &str,
    (before, after): (&StoredRecord, &StoredRecord),
    correction: Correction<'_>,
    decision: Option<(&str, i64)>,
) -> Result<(), LedgerError> {
    let json = |record: &StoredRecord| serde_json::to_string(&record.record).unwrap_or_default();
    let (before_json, after_json, at) = (json(before), json(after), now());
    let audit = Audit {
        record: Some(&after.record.id),
        decision: decision.map(|(id, _)| id),
        before: Some(&before_json),
        after: Some(&after_json),
        reason: Some(correction.reason),
        ..Audit::new(&at, correction.actor, action)
    };
    match decision {
        Some((_, number)) => Audit::insert_all(conn, org, number, &[audit]).await,
        None => audit.append(conn, org).await,
    }
}
