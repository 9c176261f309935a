//! `GET /v1/verify/{identifier}`: public verification of a certificate number, without a token.
//!
//! A certificate number is unique within an organisation, not across them, so the answer lists
//! every organisation's record that carries it: the organisation, the achievement (id and name),
//! the status today (UTC) and the dates. Nothing personal: no contact, learner, event, reason
//! or record id.

use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;
use serde::Serialize;

use super::error::ApiError;
use super::ids::Ids;
use super::operations::json_response;
use super::Context;
use crate::serve::ledger::{now, Verified};

/// The longest identifier looked up; a longer one is answered 404 like any unknown one.
pub const MAX_IDENTIFIER_BYTES: usize = 256;

#[derive(Serialize)]
struct Verification<'a> {
    identifier: &'a str,
    matches: Vec<Match<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Match<'a> {
    organisation: &'a str,
    achievement: Achievement<'a>,
    status: &'static str,
    awarded_on: &'a str,
    valid_from: &'a str,
    expires_on: Option<&'a str>,
    revoked_on: Option<&'a str>,
}

#[derive(Serialize)]
struct Achievement<'a> {
    id: &'a str,
    name: Option<&'a str>,
}

/// `GET /v1/verify/{identifier}` (no token): `{"identifier", "matches"}`; 404 `not-found` when
/// no record has the identifier (or it is not UTF-8, or longer than 256 bytes).
pub async fn get(State(context): State<Arc<Context>>, Ids(identifier): Ids<String>) -> Result<Response, ApiError> {
    if identifier.len() > MAX_IDENTIFIER_BYTES {
        return Err(ApiError::NotFound);
    }
    let records = context.ledger.verify(&identifier).await?;
    if records.is_empty() {
        return Err(ApiError::NotFound);
    }
    let now = now();
    let today = now.get(..10).unwrap_or_default();
    let matches = records.iter().map(|record| verified(record, today)).collect();
    let body = serde_json::to_vec(&Verification { identifier: &identifier, matches })
        .map_err(|e| ApiError::Internal(format!("verification: {e}")))?;
    tracing::info!(matches = records.len(), "verified");
    Ok(json_response(body))
}

fn verified<'a>(record: &'a Verified, today: &str) -> Match<'a> {
    Match {
        organisation: &record.org,
        achievement: Achievement { id: &record.achievement, name: record.name.as_deref() },
        status: status(record, today),
        awarded_on: &record.awarded_on,
        valid_from: &record.valid_from,
        expires_on: record.expires_on.as_deref(),
        revoked_on: record.revoked_on.as_deref(),
    }
}

/// The record's status on `today` (ISO dates compare as text): `revoked` whatever the date of
/// the revocation; `expired` from its `expiresOn` on (spec.md §1: the first day it is no longer
/// valid); `not-yet-valid` before its `validFrom`; else `valid`.
fn status(record: &Verified, today: &str) -> &'static str {
    if record.revoked_on.is_some() {
        "revoked"
    } else if record.expires_on.as_deref().is_some_and(|expires| expires <= today) {
        "expired"
    } else if record.valid_from.as_str() > today {
        "not-yet-valid"
    } else {
        "valid"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(valid_from: &str, expires_on: Option<&str>, revoked_on: Option<&str>) -> Verified {
        Verified {
            org: "acme".into(),
            achievement: "cpr".into(),
            name: None,
            awarded_on: valid_from.into(),
            valid_from: valid_from.into(),
            expires_on: expires_on.map(Into::into),
            revoked_on: revoked_on.map(Into::into),
        }
    }

    #[test]
    fn the_status_is_that_of_today() {
        let today = "2026-03-10";
        assert_eq!(status(&record("2026-03-01", None, None), today), "valid");
        assert_eq!(status(&record("2026-03-10", Some("2026-03-11"), None), today), "valid");
        assert_eq!(status(&record("2026-03-01", Some("2026-03-10"), None), today), "expired");
        assert_eq!(status(&record("2025-03-01", Some("2026-03-01"), None), today), "expired");
        assert_eq!(status(&record("2026-03-11", Some("2027-03-11"), None), today), "not-yet-valid");
        assert_eq!(status(&record("2026-03-01", None, Some("2026-03-20")), today), "revoked");
        assert_eq!(status(&record("2020-03-01", Some("2021-03-01"), Some("2020-06-01")), today), "revoked");
    }
}
