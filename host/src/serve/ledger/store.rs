//! The ledger's queries, one text for SQLite and PostgreSQL (through sqlx's `Any` driver); the
//! differences are in [`super::connect`].

use sqlx::any::AnyArguments;
use sqlx::{Any, AnyConnection};

use super::connect::{Database, Pool, Turn};
use super::decision_tx::{DecisionTx, OrgInTx};
use super::scope::Scope;
use super::{now, sql, CertificationRecord, IssuedRecord, LedgerError, LedgerState, NewCertification, NewRecord, Role};

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
        let read = OrgInTx::read_one(&mut tx, org).await?;
        let state = read.state(&mut tx, org, scope).await?;
        tx.commit().await?;
        Ok(state)
    }

    /// Starts a transaction for decisions in `turn` ([`DecisionTx`]).
    pub async fn begin_decisions(&self, turn: Turn) -> Result<DecisionTx, LedgerError> {
        let write = self.pool.begin_in_turn(turn).await?;
        Ok(DecisionTx::new(write, self.pool.clone()))
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

/// A statement with its parameters bound.
type AnyQuery = sqlx::query::Query<'static, Any, AnyArguments>;

/// Inserts `rows`, each of `columns` parameters bound by `bind`, with one statement per
/// [`sql::ROWS_PER_INSERT`] rows: `head` (`INSERT … VALUES `), the rows' [`sql::values`],
/// `tail` (an `ON CONFLICT` clause, or nothing).
pub(super) async fn insert_rows<T>(
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
pub(super) fn record_json(id: &str, record: &NewRecord) -> IssuedRecord {
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
pub(super) fn certification_json(id: &str, record: &NewCertification) -> CertificationRecord {
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
