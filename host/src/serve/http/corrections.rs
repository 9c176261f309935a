//! Corrections of an issued record (role `correct`), each with a required `reason` and an audit
//! row: `POST …/records/{id}/revoke`, `PATCH …/records/{id}` (its `expiresOn`) and
//! `POST …/records/{id}/reissue` (a revocation and a decision, in one transaction).

use std::sync::Arc;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::value::RawValue;

use super::auth::Auth;
use super::body::JsonBody;
use super::decisions::{bad, decide_alone, idempotency_key, members, pointer_token, Decision, DecisionBody, Revoke};
use super::error::ApiError;
use super::ids::Ids;
use super::records::json_of;
use super::Context;
use crate::serve::ledger::{today, Correction, Role};

/// A correction's body: its members, each one the endpoint reads.
pub(super) struct Fields<'a>(Vec<(String, &'a RawValue)>);

impl<'a> Fields<'a> {
    pub(super) fn read(body: &'a [u8], known: &[&str]) -> Result<Fields<'a>, ApiError> {
        let value: &RawValue =
            serde_json::from_slice(body).map_err(|e| bad("invalid-json", e.to_string(), String::new()))?;
        let fields = members(value, "")?;
        if let Some((name, _)) = fields.iter().find(|(name, _)| !known.contains(&name.as_str())) {
            let message = format!("unknown member `{name}`: expected `{{{}}}`", known.join(", "));
            return Err(bad("invalid-input", message, format!("/{}", pointer_token(name))));
        }
        Ok(Fields(fields))
    }

    pub(super) fn get(&self, name: &str) -> Option<&'a RawValue> {
        self.0.iter().find(|(member, _)| member == name).map(|(_, value)| *value)
    }
}

/// The `reason` member: a string that is not blank (400 `reason-required` otherwise).
pub(super) fn reason(value: Option<&RawValue>) -> Result<String, ApiError> {
    match value.and_then(|value| serde_json::from_str::<String>(value.get()).ok()) {
        Some(reason) if !reason.trim().is_empty() => Ok(reason),
        _ => Err(bad(
            "reason-required",
            "a correction needs a `reason`: a string that is not blank".into(),
            "/reason".into(),
        )),
    }
}

/// The date member `name`: `YYYY-MM-DD`, or `null` (absent).
pub(super) fn date(value: &RawValue, name: &str) -> Result<Option<String>, ApiError> {
    let not_date =
        || bad("invalid-input", format!("`{name}` must be a date, `YYYY-MM-DD`, or null"), format!("/{name}"));
    match serde_json::from_str::<Option<String>>(value.get()).map_err(|_| not_date())? {
        Some(text) if laureate_core::Date::parse(&text).is_none() => Err(not_date()),
        date => Ok(date),
    }
}

/// `POST /v1/orgs/{org}/records/{id}/revoke` (role `correct`): body `{"reason", "on"?}` (`on`
/// defaults to the current UTC date). Answers the revoked record; 409 `already-revoked`.
pub async fn revoke(
    State(context): State<Arc<Context>>,
    auth: Auth,
    Ids((org, id)): Ids<(String, String)>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let principal = auth.require(&org, Role::Correct)?;
    let fields = Fields::read(&body, &["reason", "on"])?;
    let reason = reason(fields.get("reason"))?;
    let on = fields.get("on").map(|on| date(on, "on")).transpose()?.flatten().unwrap_or_else(today);
    let correction = Correction { actor: &principal.token_id, reason: &reason };
    let record = context.ledger.revoke(&org, &id, &on, correction).await??;
    tracing::info!(record = %id, "record revoked");
    json_of(&record)
}

/// `PATCH /v1/orgs/{org}/records/{id}` (role `correct`): body `{"expiresOn", "reason"}`
/// (`expiresOn` a date, or `null`: never expires). Answers the edited record; 409
/// `record-revoked` for a revoked one, 400 at `/expiresOn` for a date before its `validFrom`.
pub async fn edit(
    State(context): State<Arc<Context>>,
    auth: Auth,
    Ids((org, id)): Ids<(String, String)>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let principal = auth.require(&org, Role::Correct)?;
    let fields = Fields::read(&body, &["expiresOn", "reason"])?;
    let reason = reason(fields.get("reason"))?;
    let missing = || bad("invalid-input", "missing member `expiresOn`".into(), "/expiresOn".into());
    let expires_on = date(fields.get("expiresOn").ok_or_else(missing)?, "expiresOn")?;
    let correction = Correction { actor: &principal.token_id, reason: &reason };
    let record = context.ledger.edit_expiry(&org, &id, expires_on.as_deref(), correction).await??;
    tracing::info!(record = %id, "record expiry edited");
    json_of(&record)
}

/// `POST /v1/orgs/{org}/records/{id}/reissue` (role `correct`): body `{"reason", "asOf",
/// "evidence", "options"?}`. Revokes the record (on the current UTC date) and makes a decision
/// with the evidence, exactly as `POST …/decisions`, in one transaction: the evaluation sees the
/// record revoked. Answers the decision's answer (`Idempotency-Key` as for decisions).
pub async fn reissue(
    State(context): State<Arc<Context>>,
    auth: Auth,
    Ids((org, id)): Ids<(String, String)>,
    headers: HeaderMap,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let principal = auth.require(&org, Role::Correct)?;
    let key = idempotency_key(&headers)?;
    let parts = DecisionBody::read(&body, &["reason"])?;
    let reason = reason(parts.member("reason"))?;
    let on = today();
    let correction = Correction { actor: &principal.token_id, reason: &reason };
    let revoke = Revoke { id: &id, on: &on, correction };
    let decision = Decision { org: &org, actor: &principal.token_id, body: &body, parts: &parts, key };
    decide_alone(&context, decision, revoke).await
}
