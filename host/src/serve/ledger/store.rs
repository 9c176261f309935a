//! The ledger's queries, one text for SQLite and PostgreSQL (through sqlx's `Any` driver); the
//! differences are in [`super::connect`].

use std::collections::BTreeMap;

use sqlx::any::AnyArguments;
use sqlx::{Any, AnyConnection};

use super::connect::{Database, Pool, WriteTx};
use super::scope::{self, Scope};
use super::{
    certification_id, decision_id, now, record_id, sql, CertificationRecord, IssuedRecord, LedgerError, LedgerState,
    NewCertification, NewDecision, NewRecord, Role,
};

/// The ledger's queries on a pool of either database.
#[derive(Clone, Debug)]
pub struct Store {
    pub(super) pool: Pool,
}

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

    pub async fn create_token(
        &self,
        org: &str,
        role: Role,
        id: &str,
        hash: &str,
        expires_at: Option<&str>,
    ) -> Result<(), LedgerError> {
        let at = now();
        let mut tx = self.pool.begin_unlocked().await?;
        sqlx::query(sql::INSERT_ORG).bind(org).bind(&at).execute(&mut *tx).await?;
        sqlx::query(sql::INSERT_TOKEN)
            .bind(id)
            .bind(org)
            .bind(role.name())
            .bind(hash)
            .bind(&at)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
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
        let after = serde_json::json!({ "version": version }).to_string();
        let audit = Audit { after: Some(&after), ..Audit::new(&at, actor, "put-rulebook") };
        audit.append(tx, org).await?;
        write.tx.commit().await?;
        Ok(version)
    }

    pub async fn rulebook(&self, org: &str) -> Result<Option<(i64, String)>, LedgerError> {
        Ok(sqlx::query_as(sql::CURRENT_RULEBOOK).bind(org).fetch_optional(&self.pool.pool).await?)
    }

    pub async fn state(&self, org: &str, scope: &Scope) -> Result<LedgerState, LedgerError> {
        // One read transaction: the rulebook, records and sequences of one moment.
        let mut tx = self.pool.begin_read().await?;
        let row = sqlx::query_as(sql::ORG_STATE).bind(org).fetch_one(&mut *tx).await?;
        let (state, _) = read_state(&mut tx, org, scope, row).await?;
        tx.commit().await?;
        Ok(state)
    }

    pub async fn begin_decision(&self, org: &str, scope: &Scope) -> Result<DecisionTx, LedgerError> {
        let mut write = self.pool.begin_write(org).await?;
        // Read after the lock is taken: no other decision can change it before the commit.
        let row = sqlx::query_as(sql::ORG_STATE).bind(org).fetch_one(&mut *write.tx).await?;
        let (state, counters) = read_state(&mut write.tx, org, scope, row).await?;
        Ok(DecisionTx { write, org: org.to_owned(), state, counters })
    }
}

/// The numbers of an organisation's next record, audit row, decision and certification record
/// (its counters in `orgs`), and of its next notification (the outbox's queue position).
#[derive(Clone, Copy, Debug)]
pub(super) struct Counters {
    pub record: i64,
    pub audit: i64,
    pub decision: i64,
    pub certification: i64,
    pub notification: i64,
}

/// A decision in progress: the transaction holding the write lock, and the state it read.
/// Dropping it rolls the transaction back.
pub struct DecisionTx {
    pub(super) write: WriteTx,
    pub(super) org: String,
    pub(super) state: LedgerState,
    /// The counters read under the lock, moved on by what the transaction writes (a reissue's
    /// revocation takes an audit number); the commit stores them.
    pub(super) counters: Counters,
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

    /// Writes the decision and commits; returns the ids of the stored records and certification
    /// records. Each table's rows go in one statement (records, certification records,
    /// sequences, audit rows; none for a table without rows), numbered from the counters read
    /// under the lock.
    pub async fn commit(mut self, decision: NewDecision) -> Result<(Vec<String>, Vec<String>), LedgerError> {
        let (org, tx, counters) = (self.org.as_str(), &mut self.write.tx, self.counters);
        let decision_id = decision_id(counters.decision);
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
        let records: Vec<(String, i64, &NewRecord)> = (counters.record..)
            .zip(&decision.records)
            .map(|(number, record)| (record_id(number), number, record))
            .collect();
        insert_records(tx, org, (&decision_id, &at), &records).await?;
        let certified: Vec<(String, i64, &NewCertification)> = (counters.certification..)
            .zip(&decision.certifications)
            .map(|(number, record)| (certification_id(number), number, record))
            .collect();
        insert_certifications(tx, org, (&decision_id, &at), &certified).await?;
        let advanced: Vec<Advanced<'_>> = decision
            .sequence_state
            .iter()
            .map(|(sequence, next)| (sequence.as_str(), self.state.sequence_state.get(sequence).copied(), *next))
            .filter(|(_, before, next)| *before != Some(*next))
            .collect();
        let statement = (sql::UPSERT_SEQUENCES, sql::UPSERT_SEQUENCES_CONFLICT);
        insert_rows(tx, statement, 3, &advanced, |query, (sequence, _, next)| {
            query.bind(org).bind(*sequence).bind(*next)
        })
        .await?;
        // One row per record issued, one per certification record, then one per sequence
        // advanced.
        let issued: Vec<(&str, String)> = records
            .iter()
            .map(|(id, _, record)| (id.as_str(), serde_json::to_string(&record_json(id, record)).unwrap_or_default()))
            .collect();
        let certifications: Vec<(&str, String)> = certified
            .iter()
            .map(|(id, _, record)| {
                (id.as_str(), serde_json::to_string(&certification_json(id, record)).unwrap_or_default())
            })
            .collect();
        let moved: Vec<(Option<String>, String)> = advanced.iter().map(sequence_json).collect();
        let audit = Audit { decision: Some(&decision_id), ..Audit::new(&at, &decision.actor, "issue") };
        let rows: Vec<Audit<'_>> = issued
            .iter()
            .map(|(id, after)| Audit { record: Some(id), after: Some(after), ..audit })
            .chain(certifications.iter().map(|(id, after)| Audit {
                action: "certify",
                record: Some(id),
                after: Some(after),
                ..audit
            }))
            .chain(moved.iter().map(|(before, after)| Audit {
                action: "advance-sequence",
                before: before.as_deref(),
                after: Some(after),
                ..audit
            }))
            .collect();
        Audit::insert_all(tx, org, counters.audit, &rows).await?;
        let mut notification = counters.notification;
        for (key, action) in &decision.notifications {
            let queued = sqlx::query(sql::INSERT_OUTBOX)
                .bind(org)
                .bind(key)
                .bind(action)
                .bind(&decision_id)
                .bind(&at)
                .bind(notification)
                .execute(&mut **tx)
                .await?;
            // A key queued already takes no number.
            notification += i64::from(queued.rows_affected() > 0);
        }
        let next = Counters {
            record: counters.record + records.len() as i64,
            audit: counters.audit + rows.len() as i64,
            decision: counters.decision + 1,
            certification: counters.certification + certified.len() as i64,
            notification,
        };
        set_counters(tx, org, next).await?;
        self.write.tx.commit().await?;
        let records = records.into_iter().map(|(id, _, _)| id).collect();
        Ok((records, certified.into_iter().map(|(id, _, _)| id).collect()))
    }
}

/// A sequence a decision moves: its id, its next number before (none: it handed none out yet)
/// and after.
type Advanced<'a> = (&'a str, Option<i64>, i64);

/// An advanced sequence's audit `before` and `after`: `{"sequence", "next"}`.
fn sequence_json(&(sequence, before, next): &Advanced<'_>) -> (Option<String>, String) {
    let before = before.map(|b| serde_json::json!({ "sequence": sequence, "next": b }).to_string());
    (before, serde_json::json!({ "sequence": sequence, "next": next }).to_string())
}

/// Inserts the records (id, number, record) of the decision `decision` stored at `at`.
async fn insert_records(
    conn: &mut AnyConnection,
    org: &str,
    (decision, at): (&str, &str),
    records: &[(String, i64, &NewRecord)],
) -> Result<(), LedgerError> {
    insert_rows(conn, (sql::INSERT_RECORDS, ""), 15, records, |query, (id, number, record)| {
        query
            .bind(org)
            .bind(id)
            .bind(number)
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
            .bind(decision)
            .bind(at)
    })
    .await
}

/// Inserts the certification records (id, number, record) of the decision `decision` stored at
/// `at`.
async fn insert_certifications(
    conn: &mut AnyConnection,
    org: &str,
    (decision, at): (&str, &str),
    records: &[(String, i64, &NewCertification)],
) -> Result<(), LedgerError> {
    insert_rows(conn, (sql::INSERT_CERTIFIED, ""), 11, records, |query, (id, number, record)| {
        query
            .bind(org)
            .bind(id)
            .bind(number)
            .bind(&record.contact)
            .bind(&record.certification)
            .bind(record.cycle)
            .bind(&record.completed_on)
            .bind(&record.valid_until)
            .bind(&record.certificate)
            .bind(decision)
            .bind(at)
    })
    .await
}

/// A statement with its parameters bound.
type AnyQuery = sqlx::query::Query<'static, Any, AnyArguments>;

/// Inserts `rows`, each of `columns` parameters bound by `bind`, with one statement per
/// [`sql::ROWS_PER_INSERT`] rows: `head` (`INSERT … VALUES `), the rows' [`sql::values`],
/// `tail` (an `ON CONFLICT` clause, or nothing).
async fn insert_rows<T>(
    conn: &mut AnyConnection,
    (head, tail): (&str, &str),
    columns: usize,
    rows: &[T],
    bind: impl Fn(AnyQuery, &T) -> AnyQuery,
) -> Result<(), LedgerError> {
    for chunk in rows.chunks(sql::ROWS_PER_INSERT) {
        // The statement's text is ours; every value is bound.
        let statement = format!("{head}{}{tail}", sql::values(chunk.len(), columns));
        let query = chunk.iter().fold(sqlx::query(sqlx::AssertSqlSafe(statement)), &bind);
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// An issued record's JSON as the engine reads it (`evidence.issued`), for the audit row.
fn record_json(id: &str, record: &NewRecord) -> IssuedRecord {
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

/// A certification record's JSON as the engine reads it (`evidence.certified`), for the audit
/// row.
fn certification_json(id: &str, record: &NewCertification) -> CertificationRecord {
    CertificationRecord {
        id: id.to_owned(),
        contact: record.contact.clone(),
        certification: record.certification.clone(),
        cycle: record.cycle,
        completed_on: record.completed_on.clone(),
        valid_until: record.valid_until.clone(),
        revoked: None,
    }
}

/// An organisation's row as a decision reads it ([`sql::ORG_STATE`]): the numbers of its next
/// record, audit row, decision, certification record and notification, then its current
/// rulebook's version and text.
type OrgRow = (i64, i64, i64, i64, i64, Option<i64>, Option<String>);

/// What a decision reads: the organisation's row (its counters and current rulebook, read by
/// the caller), then the records and certification records of its scope (in one statement;
/// certification records only once the organisation has one) and its sequences.
async fn read_state(
    conn: &mut AnyConnection,
    org: &str,
    scope: &Scope,
    (record, audit, decision, certification, notification, version, rulebook): OrgRow,
) -> Result<(LedgerState, Counters), LedgerError> {
    let (records, certified) = scope::records(conn, org, scope, certification > 1).await?;
    let sequences: Vec<(String, i64)> = sqlx::query_as(sql::SEQUENCE_STATE).bind(org).fetch_all(&mut *conn).await?;
    let state = LedgerState {
        rulebook: version.zip(rulebook),
        records,
        certified,
        sequence_state: sequences.into_iter().collect::<BTreeMap<_, _>>(),
        next_record: record,
        next_certification: certification,
    };
    Ok((state, Counters { record, audit, decision, certification, notification }))
}

/// Stores the organisation's counters (the outbox keeps its own numbers).
async fn set_counters(conn: &mut AnyConnection, org: &str, next: Counters) -> Result<(), LedgerError> {
    sqlx::query(sql::SET_COUNTERS)
        .bind(org)
        .bind(next.record)
        .bind(next.audit)
        .bind(next.decision)
        .bind(next.certification)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// One audit row.
#[derive(Clone, Copy)]
pub(super) struct Audit<'a> {
    pub at: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub record: Option<&'a str>,
    pub decision: Option<&'a str>,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
    pub reason: Option<&'a str>,
}

impl<'a> Audit<'a> {
    /// A row of `action` by `actor` at `at`, every other column empty.
    pub fn new(at: &'a str, actor: &'a str, action: &'a str) -> Audit<'a> {
        Audit { at, actor, action, record: None, decision: None, before: None, after: None, reason: None }
    }

    /// Inserts `rows` numbered from `first`, in their order.
    pub async fn insert_all(
        conn: &mut AnyConnection,
        org: &str,
        first: i64,
        rows: &[Audit<'_>],
    ) -> Result<(), LedgerError> {
        let numbered: Vec<(i64, &Audit<'_>)> = (first..).zip(rows).collect();
        insert_rows(conn, (sql::INSERT_AUDIT, ""), 10, &numbered, |query, (number, row)| {
            query
                .bind(org)
                .bind(*number)
                .bind(row.at)
                .bind(row.actor)
                .bind(row.action)
                .bind(row.record)
                .bind(row.decision)
                .bind(row.before)
                .bind(row.after)
                .bind(row.reason)
        })
        .await
    }

    /// Inserts the row under the organisation's next audit number, and moves that counter on.
    pub async fn append(&self, conn: &mut AnyConnection, org: &str) -> Result<(), LedgerError> {
        let (_, number, _): (i64, i64, i64) = sqlx::query_as(sql::COUNTERS).bind(org).fetch_one(&mut *conn).await?;
        Audit::insert_all(conn, org, number, std::slice::from_ref(self)).await?;
        sqlx::query(sql::SET_NEXT_AUDIT).bind(org).bind(number + 1).execute(&mut *conn).await?;
        Ok(())
    }
}
