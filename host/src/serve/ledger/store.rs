//! The ledger's queries, one text for SQLite and PostgreSQL (through sqlx's `Any` driver); the
//! differences are in [`super::connect`].

use std::collections::BTreeMap;

use sqlx::AnyConnection;

use super::connect::{Database, Pool, WriteTx};
use super::{now, record_id, sql, IssuedRecord, LedgerError, LedgerState, NewDecision, Principal, Revocation, Role};

/// The ledger's queries on a pool of either database.
#[derive(Clone, Debug)]
pub struct Store {
    pool: Pool,
}

type RecordRow = (
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
);

impl Store {
    pub async fn open(url: &str) -> Result<Store, LedgerError> {
        let pool = Pool::connect(url).await?;
        super::migrations::migrator().run(&pool.pool).await?;
        Ok(Store { pool })
    }

    pub fn database(&self) -> Database {
        self.pool.database
    }

    pub async fn close(&self) {
        self.pool.pool.close().await;
    }

    pub async fn create_token(&self, org: &str, role: Role, id: &str, hash: &str) -> Result<(), LedgerError> {
        let at = now();
        let mut tx = self.pool.begin_unlocked().await?;
        sqlx::query(sql::INSERT_ORG).bind(org).bind(&at).execute(&mut *tx).await?;
        sqlx::query(sql::INSERT_TOKEN)
            .bind(id)
            .bind(org)
            .bind(role.name())
            .bind(hash)
            .bind(&at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn authenticate(&self, hash: &str) -> Result<Option<Principal>, LedgerError> {
        let row: Option<(String, String, String)> =
            sqlx::query_as(sql::TOKEN_BY_HASH).bind(hash).fetch_optional(&self.pool.pool).await?;
        Ok(row.and_then(|(token_id, org, role)| Some(Principal { org, role: Role::parse(&role)?, token_id })))
    }

    pub async fn put_rulebook(&self, org: &str, actor: &str, rulebook: &str) -> Result<i64, LedgerError> {
        let mut write = self.pool.begin_write(org).await?;
        let tx = &mut write.tx;
        let last: i64 = sqlx::query_scalar(sql::LAST_RULEBOOK_VERSION).bind(org).fetch_one(&mut **tx).await?;
        let version = last + 1;
        let at = now();
        sqlx::query(sql::INSERT_RULEBOOK)
            .bind(org)
            .bind(version)
            .bind(rulebook)
            .bind(&at)
            .bind(actor)
            .execute(&mut **tx)
            .await?;
        let (next_record, next_audit, next_decision) = counters(tx, org).await?;
        let after = serde_json::json!({ "version": version }).to_string();
        let audit = Audit {
            at: &at,
            actor,
            action: "put-rulebook",
            record: None,
            decision: None,
            before: None,
            after: Some(&after),
        };
        audit.insert(tx, org, next_audit).await?;
        set_counters(tx, org, next_record, next_audit + 1, next_decision).await?;
        write.tx.commit().await?;
        Ok(version)
    }

    pub async fn rulebook(&self, org: &str) -> Result<Option<(i64, String)>, LedgerError> {
        Ok(sqlx::query_as(sql::CURRENT_RULEBOOK).bind(org).fetch_optional(&self.pool.pool).await?)
    }

    pub async fn state(&self, org: &str) -> Result<LedgerState, LedgerError> {
        // One read transaction: the rulebook, records and sequences of one moment.
        let mut tx = self.pool.begin_read().await?;
        let state = read_state(&mut tx, org).await?;
        tx.commit().await?;
        Ok(state)
    }

    pub async fn begin_decision(&self, org: &str) -> Result<DecisionTx, LedgerError> {
        let mut write = self.pool.begin_write(org).await?;
        // Read after the lock is taken: no other decision can change it before the commit.
        let state = read_state(&mut write.tx, org).await?;
        Ok(DecisionTx { write, org: org.to_owned(), state })
    }
}

/// A decision in progress: the transaction holding the write lock, and the state it read.
/// Dropping it rolls the transaction back.
pub struct DecisionTx {
    write: WriteTx,
    org: String,
    state: LedgerState,
}

impl std::fmt::Debug for DecisionTx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DecisionTx").field("org", &self.org).finish_non_exhaustive()
    }
}

impl DecisionTx {
    /// The ledger's state, read under the lock.
    pub fn state(&self) -> &LedgerState {
        &self.state
    }

    /// The (request hash, answer) stored under an idempotency key.
    pub async fn by_key(&mut self, key: &str) -> Result<Option<(String, String)>, LedgerError> {
        Ok(sqlx::query_as(sql::DECISION_BY_KEY).bind(&self.org).bind(key).fetch_optional(&mut *self.write.tx).await?)
    }

    /// Writes the decision and commits; returns the ids of the stored records.
    pub async fn commit(mut self, decision: NewDecision) -> Result<Vec<String>, LedgerError> {
        let (org, tx) = (self.org.as_str(), &mut self.write.tx);
        let (mut next_record, mut next_audit, next_decision) = counters(tx, org).await?;
        let decision_id = format!("D-{next_decision}");
        let at = now();
        sqlx::query(sql::INSERT_DECISION)
            .bind(org)
            .bind(&decision_id)
            .bind(&decision.idempotency_key)
            .bind(&decision.request_hash)
            .bind(&decision.answer)
            .bind(decision.rulebook_version)
            .bind(&decision.actor)
            .bind(&at)
            .execute(&mut **tx)
            .await?;
        let mut ids = Vec::with_capacity(decision.records.len());
        for record in &decision.records {
            let id = record_id(next_record);
            sqlx::query(sql::INSERT_RECORD)
                .bind(org)
                .bind(&id)
                .bind(next_record)
                .bind(&record.achievement)
                .bind(&record.contact)
                .bind(&record.learner)
                .bind(&record.event)
                .bind(&record.path)
                .bind(&record.awarded_on)
                .bind(&record.valid_from)
                .bind(&record.expires_on)
                .bind(&record.identifier)
                .bind(&record.certificate)
                .bind(&decision_id)
                .bind(&at)
                .execute(&mut **tx)
                .await?;
            let after = serde_json::to_string(&record_json(&id, record)).unwrap_or_default();
            let audit = Audit {
                at: &at,
                actor: &decision.actor,
                action: "issue",
                record: Some(&id),
                decision: Some(&decision_id),
                before: None,
                after: Some(&after),
            };
            audit.insert(tx, org, next_audit).await?;
            next_audit += 1;
            next_record += 1;
            ids.push(id);
        }
        for (sequence, next) in &decision.sequence_state {
            let before = self.state.sequence_state.get(sequence);
            if before == Some(next) {
                continue;
            }
            sqlx::query(sql::UPSERT_SEQUENCE).bind(org).bind(sequence).bind(next).execute(&mut **tx).await?;
            let before = before.map(|b| serde_json::json!({ "sequence": sequence, "next": b }).to_string());
            let after = serde_json::json!({ "sequence": sequence, "next": next }).to_string();
            let audit = Audit {
                at: &at,
                actor: &decision.actor,
                action: "advance-sequence",
                record: None,
                decision: Some(&decision_id),
                before: before.as_deref(),
                after: Some(&after),
            };
            audit.insert(tx, org, next_audit).await?;
            next_audit += 1;
        }
        for (key, action) in &decision.notifications {
            sqlx::query(sql::INSERT_OUTBOX)
                .bind(org)
                .bind(key)
                .bind(action)
                .bind(&decision_id)
                .bind(&at)
                .execute(&mut **tx)
                .await?;
        }
        set_counters(tx, org, next_record, next_audit, next_decision + 1).await?;
        self.write.tx.commit().await?;
        Ok(ids)
    }
}

/// An issued record's JSON as the engine reads it (`evidence.issued`), for the audit row.
fn record_json(id: &str, record: &super::NewRecord) -> IssuedRecord {
    IssuedRecord {
        id: id.to_owned(),
        achievement: record.achievement.clone(),
        contact: record.contact.clone(),
        learner: record.learner.clone(),
        event: record.event.clone(),
        path: record.path.clone(),
        awarded_on: record.awarded_on.clone(),
        valid_from: record.valid_from.clone(),
        expires_on: record.expires_on.clone(),
        identifier: record.identifier.clone(),
        revoked: None,
    }
}

async fn read_state(conn: &mut AnyConnection, org: &str) -> Result<LedgerState, LedgerError> {
    let rulebook: Option<(i64, String)> =
        sqlx::query_as(sql::CURRENT_RULEBOOK).bind(org).fetch_optional(&mut *conn).await?;
    let rows: Vec<RecordRow> = sqlx::query_as(sql::RECORDS).bind(org).fetch_all(&mut *conn).await?;
    let records = rows
        .into_iter()
        .map(
            |(
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
            )| {
                IssuedRecord {
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
                }
            },
        )
        .collect();
    let sequences: Vec<(String, i64)> = sqlx::query_as(sql::SEQUENCE_STATE).bind(org).fetch_all(&mut *conn).await?;
    let (next_record, _, _) = counters(conn, org).await?;
    Ok(LedgerState {
        rulebook,
        records,
        sequence_state: sequences.into_iter().collect::<BTreeMap<_, _>>(),
        next_record,
    })
}

async fn counters(conn: &mut AnyConnection, org: &str) -> Result<(i64, i64, i64), LedgerError> {
    Ok(sqlx::query_as(sql::COUNTERS).bind(org).fetch_one(&mut *conn).await?)
}

async fn set_counters(
    conn: &mut AnyConnection,
    org: &str,
    record: i64,
    audit: i64,
    decision: i64,
) -> Result<(), LedgerError> {
    sqlx::query(sql::SET_COUNTERS).bind(org).bind(record).bind(audit).bind(decision).execute(&mut *conn).await?;
    Ok(())
}

/// One audit row.
struct Audit<'a> {
    at: &'a str,
    actor: &'a str,
    action: &'a str,
    record: Option<&'a str>,
    decision: Option<&'a str>,
    before: Option<&'a str>,
    after: Option<&'a str>,
}

impl Audit<'_> {
    async fn insert(&self, conn: &mut AnyConnection, org: &str, number: i64) -> Result<(), LedgerError> {
        sqlx::query(sql::INSERT_AUDIT)
            .bind(org)
            .bind(number)
            .bind(self.at)
            .bind(self.actor)
            .bind(self.action)
            .bind(self.record)
            .bind(self.decision)
            .bind(self.before)
            .bind(self.after)
            .bind(None::<&str>)
            .execute(conn)
            .await?;
        Ok(())
    }
}
