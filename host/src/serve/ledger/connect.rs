//! Where the databases differ: how the ledger connects to each and how a writer takes the
//! organisation's lock. Everything else ([`super::store`], [`super::sql`]) is one text for both.
//!
//! - SQLite (`sqlite:PATH`): WAL, `synchronous=FULL`, foreign keys on; a writer takes
//!   `BEGIN IMMEDIATE`, the database's one write lock (so two processes sharing the file cannot
//!   hand out one number twice), after waiting its turn among this process's writers.
//! - PostgreSQL (`postgres://…`): a writer's transaction locks the organisation's row
//!   (`SELECT … FOR UPDATE`) and reads everything after it, so writers of one organisation take
//!   turns across every process sharing the database, and other organisations do not wait.
//!   Within a process, a writer first waits its turn among its organisation's writers, so the
//!   waiting ones hold no connection.

use std::collections::BTreeMap;
use std::sync::Arc;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Any, AnyPool, ConnectOptions as _, Executor as _, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

use super::{sql, LedgerError};

/// Which database a ledger is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Database {
    Sqlite,
    Postgres,
}

/// A pool of connections to the ledger's database.
#[derive(Clone, Debug)]
pub struct Pool {
    pub pool: AnyPool,
    pub database: Database,
    /// The writers of this process wait here for their turn before they take a connection:
    /// in order, rather than in SQLite's busy handler (which polls) or holding a PostgreSQL
    /// connection while they wait for a row lock.
    turns: Turns,
}

/// One queue per organisation (SQLite: one for the database, whose write lock is global).
#[derive(Clone, Debug, Default)]
struct Turns(Arc<std::sync::Mutex<BTreeMap<String, Arc<Mutex<()>>>>>);

impl Turns {
    /// Waits for `key`'s turn; the turn passes on when the guard is dropped.
    async fn wait(&self, key: &str) -> Turn {
        let queue = {
            let mut queues = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            Arc::clone(queues.entry(key.to_owned()).or_default())
        };
        Turn { _guard: queue.lock_owned().await }
    }
}

/// A writer's turn among this process's writers of one organisation (SQLite: of the
/// database); the next writer's turn comes when it is dropped.
#[derive(Debug)]
pub struct Turn {
    _guard: OwnedMutexGuard<()>,
}

/// A write transaction holding the organisation's lock until it commits or is dropped
/// (which rolls it back).
pub struct WriteTx {
    pub tx: Transaction<'static, Any>,
    _turn: Turn,
}

impl Pool {
    /// Connects to `url` (`sqlite:PATH`, created when new, or `postgres://…`).
    pub async fn connect(url: &str) -> Result<Pool, LedgerError> {
        sqlx::any::install_default_drivers();
        let (database, options, connections) = if let Some(path) = sqlite_path(url) {
            let url = SqliteConnectOptions::new().filename(path).create_if_missing(true).to_url_lossy();
            (Database::Sqlite, AnyConnectOptions::from_url(&url)?, 8)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Database::Postgres, url.parse::<AnyConnectOptions>()?, 16)
        } else {
            return Err(LedgerError::UnsupportedUrl(url.to_owned()));
        };
        let mut pool = AnyPoolOptions::new().max_connections(connections);
        if database == Database::Sqlite {
            // An SQLite connection is a thread of this process over a file: pinging it before
            // each use (a round trip to that thread) finds nothing a statement would not.
            pool = pool.test_before_acquire(false).after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute(SQLITE_SETTINGS).await?;
                    Ok(())
                })
            });
        }
        let pool = pool.connect_with(options).await?;
        Ok(Pool { pool, database, turns: Turns::default() })
    }

    /// Which writers take turns with `org`'s (SQLite: every writer of the database, whose write
    /// lock is global; PostgreSQL: the organisation's).
    pub fn turn_key<'a>(&self, org: &'a str) -> &'a str {
        match self.database {
            Database::Sqlite => "",
            Database::Postgres => org,
        }
    }

    /// Waits for the turn of `org`'s writers in this process ([`Pool::turn_key`]).
    pub async fn turn(&self, org: &str) -> Turn {
        self.turns.wait(self.turn_key(org)).await
    }

    /// Starts a write transaction that holds `org`'s lock (every write that numbers something
    /// takes it: decisions, corrections, rulebook versions).
    pub async fn begin_write(&self, org: &str) -> Result<WriteTx, LedgerError> {
        let turn = self.turn(org).await;
        let mut write = self.begin_in_turn(turn).await?;
        self.lock_org(&mut write, org).await?;
        Ok(write)
    }

    /// Starts a write transaction in `turn` that holds no organisation's lock yet (SQLite's
    /// `BEGIN IMMEDIATE` holds the database's): [`Pool::lock_org`] takes each.
    pub async fn begin_in_turn(&self, turn: Turn) -> Result<WriteTx, LedgerError> {
        let tx = match self.database {
            Database::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Database::Postgres => self.pool.begin().await?,
        };
        Ok(WriteTx { tx, _turn: turn })
    }

    /// Locks `org` in `write` until it ends, across every process sharing the database
    /// (SQLite: its `BEGIN IMMEDIATE` did; PostgreSQL: the organisation's row).
    pub async fn lock_org(&self, write: &mut WriteTx, org: &str) -> Result<(), LedgerError> {
        if self.database == Database::Postgres {
            // A statement of its own: a statement's snapshot is taken before it waits for the
            // lock, so what it read beside the locked row could be older than the lock.
            sqlx::query(sql::LOCK_ORG).bind(org).execute(&mut *write.tx).await?;
        }
        Ok(())
    }

    /// Starts a read-only transaction that sees one moment of the ledger (PostgreSQL's default
    /// isolation would let each statement see a later one).
    pub async fn begin_read(&self) -> Result<Transaction<'static, Any>, LedgerError> {
        Ok(match self.database {
            Database::Sqlite => self.pool.begin().await?,
            Database::Postgres => self.pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?,
        })
    }

    /// Starts a write transaction that locks no organisation (creating one, adding a token).
    pub async fn begin_unlocked(&self) -> Result<Transaction<'static, Any>, LedgerError> {
        Ok(match self.database {
            Database::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Database::Postgres => self.pool.begin().await?,
        })
    }
}

/// The path of a `sqlite:PATH` or `sqlite://PATH` url.
fn sqlite_path(url: &str) -> Option<&str> {
    url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).filter(|path| !path.is_empty())
}

/// The settings of every SQLite connection (`journal_mode` is the file's, the others the
/// connection's; `busy_timeout` is how long a statement waits for another connection's write
/// lock, in milliseconds).
const SQLITE_SETTINGS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000;";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_a_path() {
        assert_eq!(sqlite_path("sqlite:/tmp/ledger.db"), Some("/tmp/ledger.db"));
        assert_eq!(sqlite_path("sqlite://ledger.db"), Some("ledger.db"));
        assert_eq!(sqlite_path("sqlite:"), None);
        assert_eq!(sqlite_path("postgres://x"), None);
    }
}
