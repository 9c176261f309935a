//! The ledger's queries, one text for SQLite and PostgreSQL (through sqlx's `Any` driver); the
//! differences are in [`super::connect`].

use std::collections::BTreeMap;

use sqlx::any::AnyArguments;
use sqlx::{Any, AnyConnection};

use super::connect::{Database, Pool, Turn, WriteTx};
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
        let read = OrgInTx::read(&mut tx, org).await?;
        let state = read.state(&mut tx, org, scope).await?;
        tx.commit().await?;
        Ok(state)
    }

    /// Starts a transaction for decisions in `turn` ([`DecisionTx`]).
    pub async fn begin_decisions(&self, turn: Turn) -> Result<DecisionTx, LedgerError> {
        let write = self.pool.begin_in_turn(turn).await?;
        Ok(DecisionTx { write, pool: self.pool.clone(), orgs: BTreeMap::new() })
    }
}

/// The numbers of an organisation's next record, audit row, decision and certification record
/// (its counters in `orgs`), and of its next notification (the outbox's queue position).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Counters {
    pub record: i64,
    pub audit: i64,
    pub decision: i64,
    pub certification: i64,
    pub notification: i64,
}

/// Decisions in progress: one transaction, holding the lock of each organisation it has read,
/// in which any number of decisions are made one after another (a group commit). Each
/// organisation's counters, sequences and rulebook are read once, when the transaction first
/// needs them; each decision's rows are written as it is stored, so the next one reads them;
/// the counters and sequences are written at the commit. Dropping it rolls everything back.
pub struct DecisionTx {
    pub(super) write: WriteTx,
    pool: Pool,
    pub(super) orgs: BTreeMap<String, OrgInTx>,
}

/// What a [`DecisionTx`] holds of one organisation.
#[derive(Debug)]
pub(super) struct OrgInTx {
    rulebook: Option<(i64, String)>,
    /// The sequences as read, and as the transaction's decisions have moved them.
    sequences_read: BTreeMap<String, i64>,
    sequences: BTreeMap<String, i64>,
    /// The counters as read, and as the transaction's writes have moved them.
    counters_read: Counters,
    pub counters: Counters,
}

impl OrgInTx {
    /// Reads `org`'s counters, current rulebook and sequences.
    async fn read(conn: &mut AnyConnection, org: &str) -> Result<OrgInTx, LedgerError> {
        let row: OrgRow = sqlx::query_as(sql::ORG_STATE).bind(org).fetch_one(&mut *conn).await?;
        let (record, audit, decision, certification, notification, version, rulebook) = row;
        let sequences: Vec<(String, i64)> = sqlx::query_as(sql::SEQUENCE_STATE).bind(org).fetch_all(&mut *conn).await?;
        let sequences: BTreeMap<String, i64> = sequences.into_iter().collect();
        let counters = Counters { record, audit, decision, certification, notification };
        Ok(OrgInTx {
            rulebook: version.zip(rulebook),
            sequences_read: sequences.clone(),
            sequences,
            counters_read: counters,
            counters,
        })
    }

    /// What a decision about `scope` reads: the rulebook, sequences and counters as they are
    /// here, and the records and certification records of the scope (in one statement;
    /// certification records only once the organisation has one).
    async fn state(&self, conn: &mut AnyConnection, org: &str, scope: &Scope) -> Result<LedgerState, LedgerError> {
        let (records, certified) = scope::records(conn, org, scope, self.counters.certification > 1).await?;
        Ok(LedgerState {
            rulebook: self.rulebook.clone(),
            records,
            certified,
            sequence_state: self.sequences.clone(),
            next_record: self.counters.record,
            next_certification: self.counters.certification,
        })
    }
}

impl std::fmt::Debug for DecisionTx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DecisionTx").field("orgs", &self.orgs.keys()).finish_non_exhaustive()
    }
}

impl DecisionTx {
    /// `org` in this transaction: locked, and its counters, sequences and rulebook read, the
    /// first time.
    pub(super) async fn org(&mut self, org: &str) -> Result<&mut OrgInTx, LedgerError> {
        if !self.orgs.contains_key(org) {
            self.pool.lock_org(&mut self.write, org).await?;
            // Read after the lock is taken: no other writer can change it before the commit.
            let read = OrgInTx::read(&mut self.write.tx, org).await?;
            self.orgs.insert(org.to_owned(), read);
        }
        self.orgs.get_mut(org).ok_or_else(|| LedgerError::Database(sqlx::Error::RowNotFound))
    }

    /// What a decision of `org` about `scope` reads: its rulebook, sequences and counters as
    /// this transaction has them, and the records of the scope (those this transaction wrote
    /// included).
    pub async fn state(&mut self, org: &str, scope: &Scope) -> Result<LedgerState, LedgerError> {
        self.org(org).await?;
        let Some(entry) = self.orgs.get(org) else { return Err(LedgerError::Database(sqlx::Error::RowNotFound)) };
        entry.state(&mut self.write.tx, org, scope).await
    }

    /// The (request hash, answer) stored under an idempotency key of `org` (by this
    /// transaction too). Read under `org`'s lock: a decision another process is storing under
    /// the key is committed before this reads it.
    pub async fn by_key(&mut self, org: &str, key: &str) -> Result<Option<(String, String)>, LedgerError> {
        self.org(org).await?;
        Ok(sqlx::query_as(sql::DECISION_BY_KEY).bind(org).bind(key).fetch_optional(&mut *self.write.tx).await?)
    }

    /// Writes one decision of `org`, numbered from the counters as this transaction has them;
    /// returns the ids of its records and certification records. Each table's rows go in one
    /// statement (records, certification records, audit rows; none for a table without rows).
    /// The sequences it moves and the counters are written by [`DecisionTx::commit`].
    pub async fn store(&mut self, org: &str, decision: NewDecision) -> Result<(Vec<String>, Vec<String>), LedgerError> {
        let entry = self.org(org).await?;
        let counters = entry.counters;
        let advanced: Vec<Advanced> = decision
            .sequence_state
            .iter()
            .map(|(sequence, next)| (sequence.clone(), entry.sequences.get(sequence).copied(), *next))
            .filter(|(_, before, next)| *before != Some(*next))
            .collect();
        for (sequence, _, next) in &advanced {
            entry.sequences.insert(sequence.clone(), *next);
        }
        let tx = &mut self.write.tx;
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
        if let Some(entry) = self.orgs.get_mut(org) {
            entry.counters = next;
        }
        let records = records.into_iter().map(|(id, _, _)| id).collect();
        Ok((records, certified.into_iter().map(|(id, _, _)| id).collect()))
    }

    /// Writes each organisation's moved sequences and counters, and commits.
    pub async fn commit(mut self) -> Result<(), LedgerError> {
        let tx = &mut self.write.tx;
        for (org, entry) in &self.orgs {
            let advanced: Vec<(&str, i64)> = entry
                .sequences
                .iter()
                .filter(|(sequence, next)| entry.sequences_read.get(*sequence) != Some(*next))
                .map(|(sequence, next)| (sequence.as_str(), *next))
                .collect();
            let statement = (sql::UPSERT_SEQUENCES, sql::UPSERT_SEQUENCES_CONFLICT);
            insert_rows(tx, statement, 3, &advanced, |query, (sequence, next)| {
                query.bind(org.as_str()).bind(*sequence).bind(*next)
            })
            .await?;
            if entry.counters != entry.counters_read {
                set_counters(tx, org, entry.counters).await?;
            }
        }
        self.write.tx.commit().await?;
        Ok(())
    }
}

/// A sequence a decision moves: its id, its next number before (none: it handed none out yet)
/// and after.
type Advanced = (String, Option<i64>, i64);

/// An advanced sequence's audit `before` and `after`: `{"sequence", "next"}`.
fn sequence_json((sequence, before, next): &Advanced) -> (Option<String>, String) {
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
