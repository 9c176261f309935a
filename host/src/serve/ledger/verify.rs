//! Verification of a certificate number: the records that carry it in every organisation, each
//! with its achievement's name in that organisation's current rulebook. Only what a printed
//! certificate shows leaves this module: no contact, learner, event, reason or record id.
//!
//! One indexed query finds the records (`records_identifier`) and their organisations' current
//! rulebook versions; the names come from [`Names`], so a rulebook's text is read and parsed once
//! per version and process, not once per verification.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::Deserialize;

use super::{sql, Ledger, LedgerError};

/// One record with the certificate number, as a verification shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    pub org: String,
    pub achievement: String,
    /// The achievement's name in the organisation's current rulebook (`None` when that rulebook
    /// no longer has the achievement).
    pub name: Option<String>,
    pub awarded_on: String,
    pub valid_from: String,
    pub expires_on: Option<String>,
    pub revoked_on: Option<String>,
}

type VerifyRow = (String, String, String, String, Option<String>, Option<String>, Option<i64>);

/// Achievement id → name.
type NameMap = Arc<HashMap<String, String>>;

/// The achievement names of each organisation's current rulebook, with the version they were
/// read from. A version never changes, so an entry holds until its organisation stores the next.
#[derive(Debug, Default)]
pub struct Names {
    by_org: Mutex<HashMap<String, (i64, NameMap)>>,
}

/// Past this many organisations the cache starts over (it holds names only).
const MAX_CACHED_ORGS: usize = 4_096;

impl Names {
    fn get(&self, org: &str, version: i64) -> Option<NameMap> {
        let by_org = self.by_org.lock().ok()?;
        by_org.get(org).filter(|(cached, _)| *cached == version).map(|(_, names)| Arc::clone(names))
    }

    fn put(&self, org: &str, version: i64, names: NameMap) {
        if let Ok(mut by_org) = self.by_org.lock() {
            if by_org.len() >= MAX_CACHED_ORGS {
                by_org.clear();
            }
            by_org.insert(org.to_owned(), (version, names));
        }
    }
}

impl Ledger {
    /// The records whose certificate number is `identifier`, one per organisation at most (the
    /// number is unique within one), in organisation order.
    pub async fn verify(&self, identifier: &str) -> Result<Vec<Verified>, LedgerError> {
        // PostgreSQL's text cannot hold NUL, so no stored identifier has one.
        if identifier.contains('\0') {
            return Ok(Vec::new());
        }
        let rows: Vec<VerifyRow> =
            sqlx::query_as(sql::RECORDS_BY_IDENTIFIER).bind(identifier).fetch_all(&self.store.pool.pool).await?;
        let mut verified = Vec::with_capacity(rows.len());
        for (org, achievement, awarded_on, valid_from, expires_on, revoked_on, version) in rows {
            let name = match version {
                Some(version) => self.achievement_names(&org, version).await?.get(&achievement).cloned(),
                None => None,
            };
            verified.push(Verified { org, achievement, name, awarded_on, valid_from, expires_on, revoked_on });
        }
        Ok(verified)
    }

    /// The achievement names of `org`'s rulebook `version`, from the cache or read once.
    async fn achievement_names(&self, org: &str, version: i64) -> Result<NameMap, LedgerError> {
        if let Some(names) = self.names.get(org, version) {
            return Ok(names);
        }
        let rulebook: Option<String> = sqlx::query_scalar(sql::RULEBOOK_VERSION)
            .bind(org)
            .bind(version)
            .fetch_optional(&self.store.pool.pool)
            .await?;
        let names = Arc::new(rulebook.as_deref().map(achievement_names).unwrap_or_default());
        self.names.put(org, version, Arc::clone(&names));
        Ok(names)
    }
}

/// The `name` of each achievement of a stored rulebook (one the engine validated).
fn achievement_names(rulebook: &str) -> HashMap<String, String> {
    #[derive(Deserialize)]
    struct Rulebook {
        #[serde(default)]
        achievements: Vec<Achievement>,
    }
    #[derive(Deserialize)]
    struct Achievement {
        id: String,
        name: Option<String>,
    }
    match serde_json::from_str::<Rulebook>(rulebook) {
        Ok(rulebook) => rulebook.achievements.into_iter().filter_map(|a| Some((a.id, a.name?))).collect(),
        Err(error) => {
            tracing::warn!(%error, "a stored rulebook without readable achievement names");
            HashMap::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_read_from_the_achievements() {
        let names = achievement_names(r#"{"achievements": [{"id": "cpr", "name": "CPR", "validity": {}}], "x": 1}"#);
        assert_eq!(names.get("cpr").map(String::as_str), Some("CPR"));
        assert!(achievement_names(r#"{"events": []}"#).is_empty());
        assert!(achievement_names("[").is_empty());
    }

    #[test]
    fn the_cache_holds_one_version_per_organisation() {
        let names = Names::default();
        let map: NameMap = Arc::new(HashMap::from([("cpr".to_owned(), "CPR".to_owned())]));
        names.put("acme", 1, Arc::clone(&map));
        assert!(names.get("acme", 1).is_some());
        assert!(names.get("acme", 2).is_none());
        assert!(names.get("globex", 1).is_none());
        names.put("acme", 2, map);
        assert!(names.get("acme", 1).is_none());
    }
}
