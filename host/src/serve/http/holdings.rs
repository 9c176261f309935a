//! `GET /v1/orgs/{org}/contacts/{contact}/holdings`: what a contact holds, as the engine rolls
//! it up (spec.md §7, Holdings) from the contact's records under the current rulebook.

use std::sync::Arc;

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::auth::Auth;
use super::decisions::no_rulebook;
use super::error::ApiError;
use super::ids::Ids;
use super::query::Query;
use super::records::json_of;
use super::Context;
use crate::serve::ledger::{today, Role};

#[derive(Deserialize)]
struct Answer<'a> {
    #[serde(borrow)]
    ok: Evaluation<'a>,
}

#[derive(Deserialize)]
struct Evaluation<'a> {
    #[serde(borrow)]
    holdings: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct Holding {
    contact: String,
}

/// The answer: the holdings are the engine's, byte for byte.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Holdings<'a> {
    contact: &'a str,
    as_of: &'a str,
    holdings: Vec<&'a RawValue>,
}

/// `GET /v1/orgs/{org}/contacts/{contact}/holdings?asOf=YYYY-MM-DD` (role `read`; `asOf`
/// defaults to the current UTC date): evaluates the current rulebook with the contact's
/// records as `evidence.issued` and no learners, and answers `{"contact", "asOf", "holdings"}`,
/// the answer's holdings of that contact, byte for byte. 409 `no-rulebook` without a rulebook.
pub async fn get(
    State(context): State<Arc<Context>>,
    auth: Auth,
    Ids((org, contact)): Ids<(String, String)>,
    uri: Uri,
) -> Result<Response, ApiError> {
    auth.require(&org, Role::Read)?;
    let as_of = Query::read(&uri, &["asOf"])?.date("asOf")?.unwrap_or_else(today);
    let (rulebook, records) = context.ledger.contact_records(&org, &contact).await?;
    let Some((_, rulebook)) = rulebook else { return Err(no_rulebook()) };
    let internal = |e: serde_json::Error| ApiError::Internal(format!("holdings: {e}"));
    let issued = serde_json::to_string(&records).map_err(internal)?;
    let request = format!(r#"{{"asOf":"{as_of}","rulebook":{rulebook},"evidence":{{"issued":{issued}}}}}"#);
    let answer = context.call("evaluate", request.into_bytes()).await?;
    if crate::json::answer_is_ok(&answer) != Some(true) {
        let envelope = String::from_utf8_lossy(&answer);
        return Err(ApiError::Internal(format!("holdings: the engine refused the ledger's request: {envelope}")));
    }
    let Answer { ok } = serde_json::from_slice(&answer).map_err(internal)?;
    let mut holdings = Vec::with_capacity(ok.holdings.len());
    for holding in ok.holdings {
        let Holding { contact: of } = serde_json::from_str(holding.get()).map_err(internal)?;
        if of == contact {
            holdings.push(holding);
        }
    }
    json_of(&Holdings { contact: &contact, as_of: &as_of, holdings })
}
