//! The ledger's statements: one text for every database (`$n` parameters, which SQLite reads
//! too; `ON CONFLICT` upserts, which both have).

pub const INSERT_ORG: &str = "INSERT INTO orgs (id, created_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING";
pub const INSERT_TOKEN: &str = "INSERT INTO tokens (id, org, role, hash, created_at) VALUES ($1, $2, $3, $4, $5)";
pub const TOKEN_BY_HASH: &str = "SELECT id, org, role FROM tokens WHERE hash = $1";

pub const LAST_RULEBOOK_VERSION: &str = "SELECT COALESCE(MAX(version), 0) FROM rulebooks WHERE org = $1";
pub const INSERT_RULEBOOK: &str =
    "INSERT INTO rulebooks (org, version, rulebook, created_at, actor) VALUES ($1, $2, $3, $4, $5)";
pub const CURRENT_RULEBOOK: &str =
    "SELECT version, rulebook FROM rulebooks WHERE org = $1 ORDER BY version DESC LIMIT 1";

pub const RECORDS: &str = "SELECT id, achievement, contact, learner, event, path, awarded_on, valid_from, expires_on, \
     identifier, revoked_on, revoked_by, revoked_reason FROM records WHERE org = $1 ORDER BY number";
pub const SEQUENCE_STATE: &str = "SELECT sequence, next FROM sequence_state WHERE org = $1 ORDER BY sequence";
pub const COUNTERS: &str = "SELECT next_record, next_audit, next_decision FROM orgs WHERE id = $1";
pub const SET_COUNTERS: &str = "UPDATE orgs SET next_record = $2, next_audit = $3, next_decision = $4 WHERE id = $1";

pub const DECISION_BY_KEY: &str = "SELECT request_hash, answer FROM decisions WHERE org = $1 AND idempotency_key = $2";
pub const INSERT_DECISION: &str = "INSERT INTO decisions (org, id, idempotency_key, request_hash, answer, \
     rulebook_version, actor, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
pub const INSERT_RECORD: &str = "INSERT INTO records (org, id, number, achievement, contact, learner, event, path, \
     awarded_on, valid_from, expires_on, identifier, certificate, decision, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)";
pub const UPSERT_SEQUENCE: &str = "INSERT INTO sequence_state (org, sequence, next) VALUES ($1, $2, $3) \
     ON CONFLICT (org, sequence) DO UPDATE SET next = excluded.next";
/// Queues a notification unless one with its key is queued already.
pub const INSERT_OUTBOX: &str = "INSERT INTO outbox (org, key, action, decision, created_at) \
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (org, key) DO NOTHING";
pub const INSERT_AUDIT: &str =
    "INSERT INTO audit (org, number, at, actor, action, record, decision, before, after, reason) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

/// PostgreSQL only: a writer's lock on its organisation, held to the end of the transaction.
pub const LOCK_ORG: &str = "SELECT id FROM orgs WHERE id = $1 FOR UPDATE";
