//! [`DecisionTx`]: one transaction in which any number of decisions are made one after another
//! (a group commit), each exactly as it would be made alone.
//!
//! - Each organisation is locked, and its counters, sequences and current rulebook read, the
//!   first time the transaction needs it.
//! - A decision's rows (the decision, its records, certification records, notifications and
//!   audit rows) are kept in memory when it is stored, and written at the commit, one
//!   statement per table for the whole transaction. What the transaction holds in memory is
//!   read as if it were written: the next decision's scope finds the records stored before it
//!   ([`DecisionTx::state`]), a retry finds the answer stored under its idempotency key
//!   ([`DecisionTx::by_key`]), and the numbers go on from where the last decision left them.
//! - A notification whose key is queued already (in the ledger, or earlier in the
//!   transaction) is not queued again and takes no number.

use std::collections::{BTreeMap, BTreeSet};

use sqlx::AnyConnection;

use super::connect::{Pool, WriteTx};
use super::scope::{self, Scope};
use super::store::{certification_json, insert_rows, record_json, Counters};
use super::{
    certification_id, decision_id, now, record_id, sql, CertificationRecord, IssuedRecord, LedgerError, LedgerState,
    NewCertification, NewDecision, NewRecord,
};

/// Decisions in progress in one transaction, which holds the lock of each organisation it has
/// read. Dropping it rolls everything back.
pub struct DecisionTx {
    pub(super) write: WriteTx,
    pool: Pool,
    pub(super) orgs: BTreeMap<String, OrgInTx>,
    staged: Staged,
}

impl std::fmt::Debug for DecisionTx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DecisionTx").field("orgs", &self.orgs.keys()).finish_non_exhaustive()
    }
}

/// The most organisations one statement reads (SQLite allows 32,766 parameters, PostgreSQL
/// 65,535).
const IDS_PER_STATEMENT: usize = 500;

/// An organisation's row as a transaction reads it ([`sql::ORG_STATES`]): its id, the numbers
/// of its next record, audit row, decision, certification record and notification, then its
/// current rulebook's version and text.
type OrgRow = (String, i64, i64, i64, i64, i64, Option<i64>, Option<String>);

/// What a [`DecisionTx`] holds of one organisation.
#[derive(Debug)]
pub(super) struct OrgInTx {
    rulebook: Option<(i64, String)>,
    /// The sequences as read, and as the transaction's decisions have moved them.
    sequences_read: BTreeMap<String, i64>,
    sequences: BTreeMap<String, i64>,
    /// The counters as read, and as the transaction's decisions have moved them (but for the
    /// notifications', which are numbered at the commit).
    counters_read: Counters,
    pub counters: Counters,
    /// The records and certification records the transaction stored, as the engine reads
    /// them, in number order.
    issued: Vec<IssuedRecord>,
    certified: Vec<CertificationRecord>,
    /// (request hash, answer) of each idempotency key the transaction stored.
    keys: BTreeMap<String, (String, String)>,
}

/// The rows of the decisions stored in a [`DecisionTx`], written at its commit.
#[derive(Debug, Default)]
struct Staged {
    decisions: Vec<DecisionRow>,
    records: Vec<Numbered<NewRecord>>,
    certifications: Vec<Numbered<NewCertification>>,
    notifications: Vec<NotificationRow>,
    audit: Vec<AuditRow>,
}

#[derive(Debug)]
struct DecisionRow {
    org: String,
    id: String,
    key: Option<String>,
    request_hash: String,
    answer: String,
    rulebook_version: i64,
    actor: String,
    at: String,
}

/// A record or certification record: its organisation, id, number and decision.
#[derive(Debug)]
struct Numbered<T> {
    org: String,
    id: String,
    number: i64,
    row: T,
    decision: String,
    at: String,
}

impl<T> Numbered<T> {
    fn new(((org, id, number), row): ((String, String, i64), T), decision: &str, at: &str) -> Numbered<T> {
        Numbered { org, id, number, row, decision: decision.to_owned(), at: at.to_owned() }
    }
}

#[derive(Debug)]
struct NotificationRow {
    org: String,
    key: String,
    action: String,
    decision: String,
    at: String,
}

/// An audit row of a decision (`issue`, `certify`, `advance-sequence`).
#[derive(Debug)]
struct AuditRow {
    org: String,
    number: i64,
    at: String,
    actor: String,
    action: &'static str,
    record: Option<String>,
    decision: String,
    before: Option<String>,
    after: String,
}

impl OrgInTx {
    /// Reads the counters, current rulebook and sequences of each of `orgs` (two statements per
    /// [`IDS_PER_STATEMENT`] organisations); an organisation that does not exist is left out.
    pub(super) async fn read(
        conn: &mut AnyConnection,
        orgs: &[&str],
    ) -> Result<BTreeMap<String, OrgInTx>, LedgerError> {
        let mut read = BTreeMap::new();
        for chunk in orgs.chunks(IDS_PER_STATEMENT) {
            let list = sql::values(1, chunk.len());
            // The statements' text is ours; every id is bound.
            let statement = format!("{}{list}", sql::ORG_STATES);
            let query =
                chunk.iter().fold(sqlx::query_as::<_, OrgRow>(sqlx::AssertSqlSafe(statement)), |q, org| q.bind(*org));
            let rows = query.fetch_all(&mut *conn).await?;
            let statement = format!("{}{list} ORDER BY org, sequence", sql::SEQUENCE_STATES);
            let query = chunk
                .iter()
                .fold(sqlx::query_as::<_, (String, String, i64)>(sqlx::AssertSqlSafe(statement)), |q, org| {
                    q.bind(*org)
                });
            let mut sequences: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
            for (org, sequence, next) in query.fetch_all(&mut *conn).await? {
                sequences.entry(org).or_default().insert(sequence, next);
            }
            for (org, record, audit, decision, certification, notification, version, rulebook) in rows {
                let sequences = sequences.remove(&org).unwrap_or_default();
                let counters = Counters { record, audit, decision, certification, notification };
                let state = OrgInTx {
                    rulebook: version.zip(rulebook),
                    sequences_read: sequences.clone(),
                    sequences,
                    counters_read: counters,
                    counters,
                    issued: Vec::new(),
                    certified: Vec::new(),
                    keys: BTreeMap::new(),
                };
                read.insert(org, state);
            }
        }
        Ok(read)
    }

    /// Reads `org` as [`OrgInTx::read`] does.
    pub(super) async fn read_one(conn: &mut AnyConnection, org: &str) -> Result<OrgInTx, LedgerError> {
        let mut read = OrgInTx::read(conn, &[org]).await?;
        read.remove(org).ok_or(LedgerError::Database(sqlx::Error::RowNotFound))
    }

    /// What a decision about `scope` reads: the rulebook, sequences and counters as they are
    /// here, and the records and certification records of the scope, the ledger's (in one
    /// statement; certification records only once the organisation has one) then those stored
    /// here.
    pub(super) async fn state(
        &self,
        conn: &mut AnyConnection,
        org: &str,
        scope: &Scope,
    ) -> Result<LedgerState, LedgerError> {
        let in_ledger = self.counters_read.certification > 1;
        let (mut records, mut certified) = scope::records(conn, org, scope, in_ledger).await?;
        let learner_in = |learner: &Option<String>| learner.as_ref().is_some_and(|id| scope.learners.contains(id));
        let of_scope = |record: &&IssuedRecord| scope.contacts.contains(&record.contact) || learner_in(&record.learner);
        records.extend(self.issued.iter().filter(of_scope).cloned());
        certified.extend(self.certified.iter().filter(|record| scope.contacts.contains(&record.contact)).cloned());
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

impl DecisionTx {
    pub(super) fn new(write: WriteTx, pool: Pool) -> DecisionTx {
        DecisionTx { write, pool, orgs: BTreeMap::new(), staged: Staged::default() }
    }

    /// Locks and reads each of `orgs` this transaction has not read yet, all at once
    /// ([`OrgInTx::read`]; PostgreSQL locks each organisation's row first, in id order).
    pub async fn read_orgs(&mut self, orgs: &BTreeSet<&str>) -> Result<(), LedgerError> {
        let new: Vec<&str> = orgs.iter().copied().filter(|org| !self.orgs.contains_key(*org)).collect();
        if new.is_empty() {
            return Ok(());
        }
        for org in &new {
            self.pool.lock_org(&mut self.write, org).await?;
        }
        // Read after the locks are taken: no other writer can change them before the commit.
        let read = OrgInTx::read(&mut self.write.tx, &new).await?;
        self.orgs.extend(read);
        Ok(())
    }

    /// `org` in this transaction: locked, and its counters, sequences and rulebook read, the
    /// first time.
    pub(super) async fn org(&mut self, org: &str) -> Result<&mut OrgInTx, LedgerError> {
        if !self.orgs.contains_key(org) {
            self.read_orgs(&BTreeSet::from([org])).await?;
        }
        self.orgs.get_mut(org).ok_or(LedgerError::Database(sqlx::Error::RowNotFound))
    }

    /// What a decision of `org` about `scope` reads: its rulebook, sequences and counters as
    /// this transaction has them, and the records of the scope (those this transaction
    /// stored included).
    pub async fn state(&mut self, org: &str, scope: &Scope) -> Result<LedgerState, LedgerError> {
        self.org(org).await?;
        let Some(entry) = self.orgs.get(org) else { return Err(LedgerError::Database(sqlx::Error::RowNotFound)) };
        entry.state(&mut self.write.tx, org, scope).await
    }

    /// The (request hash, answer) stored under an idempotency key of `org` (by this
    /// transaction too). Read under `org`'s lock: a decision another process is storing under
    /// the key is committed before this reads it.
    pub async fn by_key(&mut self, org: &str, key: &str) -> Result<Option<(String, String)>, LedgerError> {
        if let Some(stored) = self.org(org).await?.keys.get(key) {
            return Ok(Some(stored.clone()));
        }
        Ok(sqlx::query_as(sql::DECISION_BY_KEY).bind(org).bind(key).fetch_optional(&mut *self.write.tx).await?)
    }

    /// Stores one decision of `org`, numbered from the counters as this transaction has them
    /// (its rows are written by [`DecisionTx::commit`]); returns the ids of its records and
    /// certification records.
    pub async fn store(&mut self, org: &str, decision: NewDecision) -> Result<(Vec<String>, Vec<String>), LedgerError> {
        let entry = self.org(org).await?;
        let counters = entry.counters;
        let (id, at) = (decision_id(counters.decision), now());
        let numbered = |number: i64, id: String| (org.to_owned(), id, number);
        // (action, record, before, after) of each audit row, in order: one per record, one
        // per certification record, then one per sequence moved.
        let mut audit: Vec<(&'static str, Option<String>, Option<String>, String)> = Vec::new();
        let mut records = Vec::new();
        for (number, record) in (counters.record..).zip(decision.records) {
            let issued = record_json(&record_id(number), &record);
            audit.push(("issue", Some(issued.id.clone()), None, serde_json::to_string(&issued).unwrap_or_default()));
            records.push((numbered(number, issued.id.clone()), record));
            entry.issued.push(issued);
        }
        let mut certifications = Vec::new();
        for (number, record) in (counters.certification..).zip(decision.certifications) {
            let certified = certification_json(&certification_id(number), &record);
            let json = serde_json::to_string(&certified).unwrap_or_default();
            audit.push(("certify", Some(certified.id.clone()), None, json));
            certifications.push((numbered(number, certified.id.clone()), record));
            entry.certified.push(certified);
        }
        for (sequence, next) in &decision.sequence_state {
            let before = entry.sequences.insert(sequence.clone(), *next);
            if before != Some(*next) {
                let json = |next: i64| serde_json::json!({ "sequence": sequence, "next": next }).to_string();
                audit.push(("advance-sequence", None, before.map(json), json(*next)));
            }
        }
        entry.counters = Counters {
            record: counters.record + records.len() as i64,
            audit: counters.audit + audit.len() as i64,
            decision: counters.decision + 1,
            certification: counters.certification + certifications.len() as i64,
            notification: counters.notification,
        };
        if let Some(key) = &decision.idempotency_key {
            entry.keys.insert(key.clone(), (decision.request_hash.clone(), decision.answer.clone()));
        }
        let ids = records.iter().map(|((_, id, _), _)| id.clone()).collect();
        let certified = certifications.iter().map(|((_, id, _), _)| id.clone()).collect();
        let staged = &mut self.staged;
        staged.records.extend(records.into_iter().map(|record| Numbered::new(record, &id, &at)));
        staged.certifications.extend(certifications.into_iter().map(|record| Numbered::new(record, &id, &at)));
        staged.audit.extend((counters.audit..).zip(audit).map(|(number, (action, record, before, after))| AuditRow {
            org: org.to_owned(),
            number,
            at: at.clone(),
            actor: decision.actor.clone(),
            action,
            record,
            decision: id.clone(),
            before,
            after,
        }));
        staged.notifications.extend(decision.notifications.into_iter().map(|(key, action)| NotificationRow {
            org: org.to_owned(),
            key,
            action,
            decision: id.clone(),
            at: at.clone(),
        }));
        staged.decisions.push(DecisionRow {
            org: org.to_owned(),
            id,
            key: decision.idempotency_key,
            request_hash: decision.request_hash,
            answer: decision.answer,
            rulebook_version: decision.rulebook_version,
            actor: decision.actor,
            at,
        });
        Ok((ids, certified))
    }

    /// Writes the stored decisions (one statement per table for all of them), each
    /// organisation's moved sequences and counters, and commits.
    pub async fn commit(mut self) -> Result<(), LedgerError> {
        let staged = std::mem::take(&mut self.staged);
        let notifications = self.number_notifications(staged.notifications).await?;
        let tx = &mut self.write.tx;
        insert_rows(tx, (sql::INSERT_DECISIONS, ""), 8, &staged.decisions, |query, row| {
            query
                .bind(&row.org)
                .bind(&row.id)
                .bind(&row.key)
                .bind(&row.request_hash)
                .bind(&row.answer)
                .bind(row.rulebook_version)
                .bind(&row.actor)
                .bind(&row.at)
        })
        .await?;
        insert_rows(tx, (sql::INSERT_RECORDS, ""), 15, &staged.records, |query, numbered| {
            let record = &numbered.row;
            query
                .bind(&numbered.org)
                .bind(&numbered.id)
                .bind(numbered.number)
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
                .bind(&numbered.decision)
                .bind(&numbered.at)
        })
        .await?;
        insert_rows(tx, (sql::INSERT_CERTIFIED, ""), 11, &staged.certifications, |query, numbered| {
            let record = &numbered.row;
            query
                .bind(&numbered.org)
                .bind(&numbered.id)
                .bind(numbered.number)
                .bind(&record.contact)
                .bind(&record.certification)
                .bind(record.cycle)
                .bind(&record.completed_on)
                .bind(&record.valid_until)
                .bind(&record.certificate)
                .bind(&numbered.decision)
                .bind(&numbered.at)
        })
        .await?;
        insert_rows(tx, (sql::INSERT_OUTBOX, ""), 6, &notifications, |query, (number, row)| {
            query.bind(&row.org).bind(&row.key).bind(&row.action).bind(&row.decision).bind(&row.at).bind(*number)
        })
        .await?;
        insert_rows(tx, (sql::INSERT_AUDIT, ""), 10, &staged.audit, |query, row| {
            query
                .bind(&row.org)
                .bind(row.number)
                .bind(&row.at)
                .bind(&row.actor)
                .bind(row.action)
                .bind(&row.record)
                .bind(Some(&row.decision))
                .bind(&row.before)
                .bind(Some(&row.after))
                .bind(None::<String>)
        })
        .await?;
        let advanced: Vec<(&str, &str, i64)> = self
            .orgs
            .iter()
            .flat_map(|(org, entry)| {
                let moved = entry
                    .sequences
                    .iter()
                    .filter(|(sequence, next)| entry.sequences_read.get(*sequence) != Some(*next));
                moved.map(move |(sequence, next)| (org.as_str(), sequence.as_str(), *next))
            })
            .collect();
        let statement = (sql::UPSERT_SEQUENCES, sql::UPSERT_SEQUENCES_CONFLICT);
        insert_rows(tx, statement, 3, &advanced, |query, (org, sequence, next)| {
            query.bind(*org).bind(*sequence).bind(*next)
        })
        .await?;
        let moved: Vec<(&str, Counters)> = self
            .orgs
            .iter()
            .filter(|(_, entry)| entry.counters != entry.counters_read)
            .map(|(org, entry)| (org.as_str(), entry.counters))
            .collect();
        let at = now();
        let statement = (sql::UPSERT_COUNTERS, sql::UPSERT_COUNTERS_CONFLICT);
        insert_rows(tx, statement, 6, &moved, |query, (org, counters)| {
            query
                .bind(*org)
                .bind(&at)
                .bind(counters.record)
                .bind(counters.audit)
                .bind(counters.decision)
                .bind(counters.certification)
        })
        .await?;
        self.write.tx.commit().await?;
        Ok(())
    }

    /// The notifications to queue, numbered: each organisation's, in the order stored, from
    /// its outbox's next number, leaving out those whose key is queued already (in the ledger:
    /// one statement for all of them; or before them in the transaction).
    async fn number_notifications(
        &mut self,
        notifications: Vec<NotificationRow>,
    ) -> Result<Vec<(i64, NotificationRow)>, LedgerError> {
        let mut by_org: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for row in &notifications {
            by_org.entry(row.org.as_str()).or_default().push(row.key.as_str());
        }
        let queued = queued_keys(&mut self.write.tx, &by_org).await?;
        let mut seen: BTreeSet<(String, String)> = queued;
        let mut next: BTreeMap<String, i64> =
            self.orgs.iter().map(|(org, entry)| (org.clone(), entry.counters.notification)).collect();
        let mut numbered = Vec::new();
        for row in notifications {
            if !seen.insert((row.org.clone(), row.key.clone())) {
                continue;
            }
            let number = next.entry(row.org.clone()).or_insert(1);
            numbered.push((*number, row));
            *number += 1;
        }
        Ok(numbered)
    }
}

/// The (organisation, key) pairs among `keys` (keys by organisation) the outbox holds: one
/// `SELECT` per organisation through the outbox's primary key, joined by `UNION ALL`, in one
/// statement per [`sql::ROWS_PER_INSERT`] keys.
async fn queued_keys(
    conn: &mut AnyConnection,
    keys: &BTreeMap<&str, Vec<&str>>,
) -> Result<BTreeSet<(String, String)>, LedgerError> {
    let pairs: Vec<(&str, &str)> =
        keys.iter().flat_map(|(org, keys)| keys.iter().map(move |key| (*org, *key))).collect();
    let mut queued = BTreeSet::new();
    for chunk in pairs.chunks(sql::ROWS_PER_INSERT) {
        let mut selects = Vec::new();
        let mut parameter = 1;
        let mut binds: Vec<&str> = Vec::new();
        let mut groups: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (org, key) in chunk {
            groups.entry(*org).or_default().push(*key);
        }
        for (org, keys) in &groups {
            let placeholders: Vec<String> =
                (parameter + 1..parameter + 1 + keys.len()).map(|n| format!("${n}")).collect();
            selects.push(format!(
                "{} WHERE org = ${parameter} AND key IN ({})",
                sql::SELECT_OUTBOX_KEYS,
                placeholders.join(", ")
            ));
            parameter += 1 + keys.len();
            binds.push(org);
            binds.extend(keys.iter().copied());
        }
        // The statement's text is ours; every value is bound.
        let statement = selects.join(" UNION ALL ");
        let query =
            binds.iter().fold(sqlx::query_as::<_, (String, String)>(sqlx::AssertSqlSafe(statement)), |query, value| {
                query.bind(*value)
            });
        queued.extend(query.fetch_all(&mut *conn).await?);
    }
    Ok(queued)
}

#[cfg(test)]
mod tests {
    use super::super::{Ledger, Role};
    use super::*;

    fn award(contact: &str, key: Option<&str>, notification: &str) -> NewDecision {
        let record = NewRecord {
            achievement: "cpr".into(),
            contact: contact.into(),
            learner: Some(format!("L-{contact}")),
            event: Some("ev-a".into()),
            path: None,
            awarded_on: "2026-03-01".into(),
            valid_from: "2026-03-01".into(),
            expires_on: None,
            identifier: None,
            certificate: None,
        };
        NewDecision {
            actor: "tok-test".into(),
            idempotency_key: key.map(str::to_owned),
            request_hash: super::super::sha256_hex(contact.as_bytes()),
            rulebook_version: 1,
            answer: format!("answer-{contact}"),
            records: vec![record],
            certifications: Vec::new(),
            sequence_state: BTreeMap::from([("seq-1".to_owned(), 2)]),
            notifications: vec![(notification.to_owned(), "{}".to_owned())],
        }
    }

    fn scope(contact: &str) -> Scope {
        Scope { contacts: BTreeSet::from([contact.to_owned()]), learners: BTreeSet::new() }
    }

    /// What a decision stores is read back by the next one in the transaction before anything
    /// is written, and the commit writes it as one decision at a time would.
    #[tokio::test]
    async fn a_transactions_decisions_read_what_the_ones_before_them_stored() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::open(&format!("sqlite:{}", dir.path().join("ledger.db").display())).await.unwrap();
        ledger.create_token("acme", Role::Admin, None).await.unwrap();
        ledger.put_rulebook("acme", "tok-test", "{}").await.unwrap();
        let mut tx = ledger.begin_decisions(ledger.turn("acme").await).await.unwrap();

        assert_eq!(tx.state("acme", &scope("C-1")).await.unwrap().records.len(), 0);
        let (records, _) = tx.store("acme", award("C-1", Some("k-1"), "n-1")).await.unwrap();
        assert_eq!(records, ["R-1"]);
        let state = tx.state("acme", &scope("C-1")).await.unwrap();
        let ids: Vec<&str> = state.records.iter().map(|record| record.id.as_str()).collect();
        assert_eq!(ids, ["R-1"], "the first decision's record, stored in the transaction");
        assert_eq!(state.sequence_state, BTreeMap::from([("seq-1".to_owned(), 2)]));
        assert_eq!((state.next_record, state.next_certification), (2, 1));
        assert!(tx.state("acme", &scope("C-2")).await.unwrap().records.is_empty(), "of another contact");
        let stored = tx.by_key("acme", "k-1").await.unwrap();
        assert_eq!(stored, Some((super::super::sha256_hex(b"C-1"), "answer-C-1".to_owned())));

        // The same notification key again takes no number; the sequence moves on once more.
        let mut second = award("C-2", None, "n-1");
        second.sequence_state = BTreeMap::from([("seq-1".to_owned(), 3)]);
        assert_eq!(tx.store("acme", second).await.unwrap().0, ["R-2"]);
        let mut third = award("C-3", None, "n-3");
        third.sequence_state = BTreeMap::from([("seq-1".to_owned(), 3)]);
        tx.store("acme", third).await.unwrap();
        tx.commit().await.unwrap();

        let pool = &ledger.store.pool.pool;
        let records: Vec<(String, String, String)> =
            sqlx::query_as("SELECT id, contact, decision FROM records ORDER BY number").fetch_all(pool).await.unwrap();
        let expected = [("R-1", "C-1", "D-1"), ("R-2", "C-2", "D-2"), ("R-3", "C-3", "D-3")];
        assert_eq!(records, expected.map(|(a, b, c)| (a.to_owned(), b.to_owned(), c.to_owned())));
        let outbox: Vec<(String, i64, String)> =
            sqlx::query_as("SELECT key, number, decision FROM outbox ORDER BY number").fetch_all(pool).await.unwrap();
        assert_eq!(outbox, [("n-1".to_owned(), 1, "D-1".to_owned()), ("n-3".to_owned(), 2, "D-3".to_owned())]);
        let audit: Vec<(i64, String, Option<String>)> =
            sqlx::query_as("SELECT number, action, decision FROM audit ORDER BY number").fetch_all(pool).await.unwrap();
        let actions: Vec<(i64, &str, &str)> =
            audit.iter().map(|(n, action, d)| (*n, action.as_str(), d.as_deref().unwrap_or_default())).collect();
        assert_eq!(
            actions,
            [
                (1, "put-rulebook", ""),
                (2, "issue", "D-1"),
                (3, "advance-sequence", "D-1"),
                (4, "issue", "D-2"),
                (5, "advance-sequence", "D-2"),
                (6, "issue", "D-3"),
            ],
            "the third decision leaves the sequence where it found it"
        );
        let next: Vec<(i64, i64, i64)> =
            sqlx::query_as("SELECT next_record, next_audit, next_decision FROM orgs").fetch_all(pool).await.unwrap();
        assert_eq!(next, [(4, 7, 4)]);
        let sequences: Vec<(String, i64)> =
            sqlx::query_as("SELECT sequence, next FROM sequence_state").fetch_all(pool).await.unwrap();
        assert_eq!(sequences, [("seq-1".to_owned(), 3)]);
    }

    /// Dropping the transaction writes nothing.
    #[tokio::test]
    async fn a_dropped_transaction_stores_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::open(&format!("sqlite:{}", dir.path().join("ledger.db").display())).await.unwrap();
        ledger.create_token("acme", Role::Admin, None).await.unwrap();
        let mut tx = ledger.begin_decisions(ledger.turn("acme").await).await.unwrap();
        tx.store("acme", award("C-1", None, "n-1")).await.unwrap();
        drop(tx);
        let pool = &ledger.store.pool.pool;
        let decisions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM decisions").fetch_one(pool).await.unwrap();
        let next: i64 = sqlx::query_scalar("SELECT next_record FROM orgs").fetch_one(pool).await.unwrap();
        assert_eq!((decisions, next), (0, 1));
    }
}
