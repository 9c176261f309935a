//! `/v1/orgs/{org}/rulebook`: the organisation's rulebook, one version per `PUT`.

use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::auth::Auth;
use super::body::JsonBody;
use super::error::ApiError;
use super::ids::Ids;
use super::operations::json_response;
use super::Context;
use crate::serve::ledger::Role;

#[derive(Deserialize)]
struct ValidateAnswer {
    ok: ValidateResult,
}

#[derive(Deserialize)]
struct ValidateResult {
    diagnostics: Box<RawValue>,
}

#[derive(Deserialize)]
struct Severity {
    severity: String,
}

/// The body of a `PUT`: `validate`'s request, `{"rulebook"}` (and `version` if sent).
#[derive(Deserialize)]
struct PutBody<'a> {
    #[serde(borrow)]
    rulebook: &'a RawValue,
}

/// `PUT /v1/orgs/{org}/rulebook` (role `admin`): validates `{"rulebook"}` and stores it as the
/// next version, unless a diagnostic is an error (422 with the diagnostics). Answers
/// `{"version", "diagnostics"}`.
pub async fn put(
    State(context): State<Arc<Context>>,
    auth: Auth,
    Ids(org): Ids<String>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let principal = auth.require(&org, Role::Admin)?;
    let answer = context.call("validate", body.to_vec()).await?;
    if crate::json::answer_is_ok(&answer) != Some(true) {
        return Err(ApiError::Engine(answer));
    }
    let internal = |e: serde_json::Error| ApiError::Internal(format!("validate answer: {e}"));
    let result: ValidateAnswer = serde_json::from_slice(&answer).map_err(internal)?;
    let severities: Vec<Severity> = serde_json::from_str(result.ok.diagnostics.get()).map_err(internal)?;
    let errors = severities.iter().filter(|d| d.severity == "error").count();
    if errors > 0 {
        return Err(ApiError::InvalidRulebook { errors, diagnostics: result.ok.diagnostics });
    }
    // The engine read the body, so it has a `rulebook` member.
    let put: PutBody<'_> = serde_json::from_slice(&body).map_err(internal)?;
    let version = context.ledger.put_rulebook(&org, &principal.token_id, put.rulebook.get()).await?;
    tracing::info!(version, "rulebook stored");
    Ok(json_response(format!("{{\"version\":{version},\"diagnostics\":{}}}", result.ok.diagnostics.get()).into_bytes()))
}

/// `GET /v1/orgs/{org}/rulebook` (role `read`): `{"version", "rulebook"}` of the current one;
/// 404 before the first `PUT`.
pub async fn get(State(context): State<Arc<Context>>, auth: Auth, Ids(org): Ids<String>) -> Result<Response, ApiError> {
    auth.require(&org, Role::Read)?;
    let (version, rulebook) = context.ledger.rulebook(&org).await?.ok_or(ApiError::NotFound)?;
    Ok(json_response(format!("{{\"version\":{version},\"rulebook\":{rulebook}}}").into_bytes()))
}
