//! The migrations of `host/migrations/`, embedded in the binary (one set for every database).

use std::borrow::Cow;

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::SqlStr;

/// (version, description, SQL) of each migration, in order.
const MIGRATIONS: [(i64, &str, &str); 4] = [
    (1, "ledger", include_str!("../../../migrations/0001_ledger.sql")),
    (2, "tokens outbox verify", include_str!("../../../migrations/0002_tokens_outbox_verify.sql")),
    (3, "records identifier", include_str!("../../../migrations/0003_records_identifier.sql")),
    (4, "certification records", include_str!("../../../migrations/0004_certification_records.sql")),
];

/// The migrator every driver runs at start-up.
pub fn migrator() -> Migrator {
    Migrator::with_migrations(
        MIGRATIONS
            .iter()
            .map(|&(version, description, sql)| {
                Migration::new(
                    version,
                    Cow::Borrowed(description),
                    MigrationType::Simple,
                    SqlStr::from_static(sql),
                    false,
                )
            })
            .collect(),
    )
}
