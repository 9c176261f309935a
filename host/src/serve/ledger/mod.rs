//! The ledger: the service's database (organisations, tokens, rulebook versions, records,
//! certification records, sequence state, decisions, the notification outbox and the audit log).
//!
//! One set of queries ([`store`]: rulebooks and decisions; [`corrections`]: revoking a record,
//! editing its expiry; [`reads`]: records, holdings' input, the audit log; [`certifications`]:
//! certification records, read and revoked; their SQL in [`sql`])
//! and migrations serves SQLite and PostgreSQL through sqlx's `Any` driver: the SQL is portable,
//! and [`connect`] holds the two places where the databases differ (connection settings, and how
//! a writer locks its organisation).

mod certifications;
mod connect;
mod corrections;
mod decision_tx;
mod migrations;
mod notifications;
mod reads;
mod scope;
mod sql;
mod store;
mod tokens;
mod verify;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde::Serialize;

pub use certifications::{CertificationFilter, CertificationRevoked};
pub use connect::{Database, Turn};
pub use corrections::{Corrected, Correction, Refused};
pub use decision_tx::DecisionTx;
pub use notifications::{Acknowledged, Notification, NotificationFilter};
pub use reads::{AuditEntry, RecordFilter};
pub use scope::Scope;
pub use tokens::{Authentication, TokenInfo};
pub use verify::Verified;

/// What a token may do. Each role includes the ones before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Read rulebooks, records, the audit log.
    Read,
    /// Make decisions.
    Decide,
    /// Correct records (revoke, edit an expiry).
    Correct,
    /// Store rulebooks.
    Admin,
}

impl Role {
    /// The role's name as stored and as typed (`read`, `decide`, `correct`, `admin`).
    pub fn name(self) -> &'static str {
        match self {
            Role::Read => "read",
            Role::Decide => "decide",
            Role::Correct => "correct",
            Role::Admin => "admin",
        }
    }

    /// The role named `name`.
    pub fn parse(name: &str) -> Option<Role> {
        [Role::Read, Role::Decide, Role::Correct, Role::Admin].into_iter().find(|role| role.name() == name)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Who made a request: the organisation, the role and the id of the token.
#[derive(Clone, Debug)]
pub struct Principal {
    /// The token's organisation.
    pub org: String,
    /// The token's role.
    pub role: Role,
    /// The token's id (`tok-…`), the actor of audit rows.
    pub token_id: String,
}

/// A failure of the ledger. None of them is shown to a client (they are a 500).
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// `--database` is not a URL the service can open.
    #[error("unsupported database url `{0}` (expected `sqlite:PATH` or `postgres://…`)")]
    UnsupportedUrl(String),
    /// An organisation id that cannot be stored.
    #[error("invalid organisation id `{0}`: use 1 to 128 letters, digits, `.`, `_` or `-`")]
    InvalidOrg(String),
    /// The operating system's random source failed.
    #[error("cannot read random bytes: {0}")]
    Random(String),
    /// The database refused a statement or could not be reached.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// The migrations could not be applied.
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// A record as the ledger keeps it, written back to the engine as `evidence.issued`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IssuedRecord {
    pub id: String,
    pub achievement: String,
    pub contact: String,
    pub learner: Option<String>,
    pub event: Option<String>,
    pub path: Option<String>,
    pub awarded_on: String,
    pub valid_from: String,
    pub expires_on: Option<String>,
    pub identifier: Option<String>,
    pub revoked: Option<Revocation>,
}

/// `revoked` of an issued record.
#[derive(Clone, Debug, Serialize)]
pub struct Revocation {
    pub on: String,
    pub by: Option<String>,
    pub reason: Option<String>,
}

/// A record as the API answers it: the engine's shape (`evidence.issued`) and the decision that
/// stored it.
#[derive(Clone, Debug, Serialize)]
pub struct StoredRecord {
    #[serde(flatten)]
    pub record: IssuedRecord,
    /// The decision that issued the record (`D-<n>`).
    pub decision: String,
    /// The record's number (`R-<n>`): its position in the organisation's lists.
    #[serde(skip)]
    pub number: i64,
}

/// A certification record as the ledger keeps it, written back to the engine as
/// `evidence.certified` (spec.md §7, Recertification records).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificationRecord {
    pub id: String,
    pub contact: String,
    pub certification: String,
    pub cycle: i64,
    pub completed_on: String,
    pub valid_until: Option<String>,
    pub revoked: Option<Revocation>,
}

/// A certification record as the API answers it: the engine's shape (`evidence.certified`),
/// the certificate template of its `certify` action and the decision that stored it.
#[derive(Clone, Debug, Serialize)]
pub struct StoredCertification {
    #[serde(flatten)]
    pub record: CertificationRecord,
    /// The certification's certificate template (`null`: none).
    pub certificate: Option<String>,
    /// The decision that certified the cycle (`D-<n>`).
    pub decision: String,
    /// The record's number (`CR-<n>`): its position in the organisation's lists.
    #[serde(skip)]
    pub number: i64,
}

/// What a decision reads from the ledger: the current rulebook, the records, the certification
/// records and the sequences.
#[derive(Debug)]
pub struct LedgerState {
    /// The current rulebook's version and text; `None` before the first `PUT`.
    pub rulebook: Option<(i64, String)>,
    /// The organisation's records of the decision's contacts and learners ([`Scope`]), in
    /// number order.
    pub records: Vec<IssuedRecord>,
    /// The organisation's certification records of the decision's contacts, in number order.
    pub certified: Vec<CertificationRecord>,
    /// Next number of each sequence that has handed one out.
    pub sequence_state: BTreeMap<String, i64>,
    /// The number the next record will get (`R-<n>`).
    pub next_record: i64,
    /// The number the next certification record will get (`CR-<n>`).
    pub next_certification: i64,
}

/// One `issue` action to store as a record.
#[derive(Debug)]
pub struct NewRecord {
    pub achievement: String,
    pub contact: String,
    pub learner: Option<String>,
    pub event: Option<String>,
    pub path: Option<String>,
    pub awarded_on: String,
    pub valid_from: String,
    pub expires_on: Option<String>,
    pub identifier: Option<String>,
    pub certificate: Option<String>,
}

/// One `certify` action to store as a certification record.
#[derive(Debug)]
pub struct NewCertification {
    pub contact: String,
    pub certification: String,
    pub cycle: i64,
    pub completed_on: String,
    pub valid_until: Option<String>,
    pub certificate: Option<String>,
}

/// Everything one decision writes, in one transaction.
#[derive(Debug)]
pub struct NewDecision {
    pub actor: String,
    pub idempotency_key: Option<String>,
    pub request_hash: String,
    pub rulebook_version: i64,
    /// The response body, stored for retries with the same idempotency key.
    pub answer: String,
    /// The records, numbered from [`LedgerState::next_record`] in this order.
    pub records: Vec<NewRecord>,
    /// The certification records, numbered from [`LedgerState::next_certification`] in this
    /// order.
    pub certifications: Vec<NewCertification>,
    /// The answer's `sequenceState`.
    pub sequence_state: BTreeMap<String, i64>,
    /// The `notify` actions: (deduplication key, the action's JSON).
    pub notifications: Vec<(String, String)>,
}

/// The id of the record numbered `number`.
pub fn record_id(number: i64) -> String {
    format!("R-{number}")
}

/// The id of the certification record numbered `number`.
pub fn certification_id(number: i64) -> String {
    format!("CR-{number}")
}

/// The id of the decision numbered `number`.
pub fn decision_id(number: i64) -> String {
    format!("D-{number}")
}

/// The ledger of one database.
#[derive(Clone, Debug)]
pub struct Ledger {
    store: store::Store,
    /// The achievement names of each organisation's current rulebook, for verifications.
    names: Arc<verify::Names>,
}

impl Ledger {
    /// Opens the database at `url` (`sqlite:PATH`, created when new, or `postgres://…`) and
    /// applies the migrations.
    pub async fn open(url: &str) -> Result<Ledger, LedgerError> {
        Ok(Ledger { store: store::Store::open(url).await?, names: Arc::default() })
    }

    /// Which database the ledger is in.
    pub fn database(&self) -> Database {
        self.store.database()
    }

    /// Creates a token of `role` for `org` (creating the organisation when it is new), accepted
    /// until `expires_at` (RFC 3339, as [`now`] writes it; `None`: until revoked): its id and the
    /// token, which is stored only as a hash.
    pub async fn create_token(
        &self,
        org: &str,
        role: Role,
        expires_at: Option<&str>,
    ) -> Result<(String, String), LedgerError> {
        check_org(org)?;
        let token = random_token()?;
        let hash = sha256_hex(token.as_bytes());
        let id = format!("tok-{}", &hash[..16]);
        self.store.create_token(org, role, &id, &hash, expires_at).await?;
        Ok((id, token))
    }

    /// Stores `rulebook` as the organisation's next version and returns that version.
    pub async fn put_rulebook(&self, org: &str, actor: &str, rulebook: &str) -> Result<i64, LedgerError> {
        self.store.put_rulebook(org, actor, rulebook).await
    }

    /// The organisation's current rulebook: its version and text.
    pub async fn rulebook(&self, org: &str) -> Result<Option<(i64, String)>, LedgerError> {
        self.store.rulebook(org).await
    }

    /// What a dry-run decision reads, without locking anything.
    pub async fn state(&self, org: &str, scope: &Scope) -> Result<LedgerState, LedgerError> {
        self.store.state(org, scope).await
    }

    /// Which writers of this process take turns with `org`'s: those of the same key (SQLite:
    /// every writer, the database's write lock being one; PostgreSQL: the organisation's).
    pub fn turn_key<'a>(&self, org: &'a str) -> &'a str {
        self.store.pool.turn_key(org)
    }

    /// Waits for the turn of `org`'s writers in this process ([`Ledger::turn_key`]).
    pub async fn turn(&self, org: &str) -> Turn {
        self.store.pool.turn(org).await
    }

    /// Starts a transaction for decisions in `turn` ([`DecisionTx`]); it locks each
    /// organisation it is used for (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: the organisation's
    /// row) until it is committed or dropped.
    pub async fn begin_decisions(&self, turn: Turn) -> Result<DecisionTx, LedgerError> {
        self.store.begin_decisions(turn).await
    }

    /// Closes the pool (waits for the connections in use to come back).
    pub async fn close(&self) {
        self.store.close().await;
    }
}

fn check_org(org: &str) -> Result<(), LedgerError> {
    let ok = (1..=128).contains(&org.len())
        && org.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(LedgerError::InvalidOrg(org.to_owned()))
    }
}

/// 32 bytes from the operating system, URL-safe base64 without padding, after a `lrt_` prefix
/// (which secret scanners can look for).
fn random_token() -> Result<String, LedgerError> {
    use base64::Engine as _;
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| LedgerError::Random(e.to_string()))?;
    Ok(format!("lrt_{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)))
}

/// The lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    use std::fmt::Write as _;
    let digest = sha2::Sha256::digest(bytes);
    digest.iter().fold(String::with_capacity(64), |mut hex, byte| {
        let _ = write!(hex, "{byte:02x}");
        hex
    })
}

/// The current UTC date, `YYYY-MM-DD`.
pub fn today() -> String {
    let mut today = now();
    today.truncate(10);
    today
}

/// The current time as stored: RFC 3339 in UTC with milliseconds (`2026-12-06T08:05:00.123Z`).
/// Every stored time has this one width, so comparing two as text compares the times.
pub fn now() -> String {
    timestamp(SystemTime::now())
}

/// The time `days` days from now, as [`now`] writes it.
pub fn days_from_now(days: u32) -> String {
    timestamp(SystemTime::now() + Duration::from_secs(u64::from(days) * 86_400))
}

/// `time` as [`now`] writes it.
fn timestamp(time: SystemTime) -> String {
    let since = time.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's civil_from_days.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3_600,
        rest % 3_600 / 60,
        rest % 60,
        since.subsec_millis()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_and_named() {
        assert!(Role::Read < Role::Decide && Role::Decide < Role::Correct && Role::Correct < Role::Admin);
        for role in [Role::Read, Role::Decide, Role::Correct, Role::Admin] {
            assert_eq!(Role::parse(role.name()), Some(role));
        }
        assert_eq!(Role::parse("owner"), None);
    }

    #[test]
    fn tokens_are_url_safe_and_long() {
        let token = random_token().unwrap();
        assert!(token.len() >= 4 + 43);
        assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_ne!(token, random_token().unwrap());
    }

    #[test]
    fn org_ids_are_checked() {
        assert!(check_org("acme-training.eu_1").is_ok());
        assert!(check_org("").is_err());
        assert!(check_org("../etc").is_err());
        assert!(check_org("a b").is_err());
    }

    #[test]
    fn now_is_rfc3339() {
        let now = now();
        assert_eq!(now.len(), 24, "{now}");
        assert!(now.starts_with("20") && now.ends_with('Z'));
        assert!(laureate_core::Date::parse(&today()).is_some());
        let later = days_from_now(30);
        assert_eq!(later.len(), 24, "{later}");
        assert!(later > now);
        let epoch = std::time::UNIX_EPOCH;
        assert_eq!(timestamp(epoch + Duration::from_millis(1_772_755_200_123)), "2026-03-06T00:00:00.123Z");
    }
}
