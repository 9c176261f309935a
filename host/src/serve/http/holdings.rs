//! `GET /v1/orgs/{org}/contacts/{contact}/holdings`: what a contact holds, as the engine rolls
//! it up (spec.md §7, Holdings and Recertification records) from the contact's records and
//! certification records under the current rulebook.

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
#[serde(rename_all = "camelCase")]
struct Evaluation<'a> {
    #[serde(borrow)]
    holdings: Vec<&'a RawValue>,
    #[serde(borrow)]
    certification_holdings: Vec<&'a RawValue>,
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
    certification_holdings: Vec<&'a RawValue>,
}

/// `GET /v1/orgs/{org}/contacts/{contact}/holdings?asOf=YYYY-MM-DD` (role `read`; `asOf`
/// defaults to the current UTC date): evaluates the current rulebook with the contact's
/// records as `evidence.issued`, its certification records as `evidence.certified` and no
/// learners, and answers `{"contact", "asOf", "holdings", "certificationHoldings"}`, the
/// answer's holdings and certification holdings of that contact, byte for byte. 409
/// `no-rulebook` without a rulebook.
pub async fn get(
    State(context): State<Arc<Context>>,
    auth: Auth,
    Ids((org, contact)): Ids<(String, String)>,
    uri: Uri,
) -> Result<Response, ApiError> {
    auth.require(&org, Role::Read)?;
    let as_of = Query::read(&uri, &["asOf"])?.date("asOf")?.unwrap_or_else(today);
    let (rulebook, (records, certified)) = context.ledger.contact_records(&org, &contact).await?;
    let Some((_, rulebook)) = rulebook else { return Err(no_rulebook()) };
    let internal = |e: serde_json::Error| ApiError::Internal(format!("holdings: {e}"));
    let issued = serde_json::to_string(&records).map_err(internal)?;
    let certified = serde_json::to_string(&certified).map_err(internal)?;
    let request = format!(
        r#"{{"asOf":"{as_of}","rulebook":{rulebook},"evidence":{{"issued":{issued},"certified":{certified}}}}}"#
    );
    let answer = context.call("evaluate", request.into_bytes()).await?;
    if crate::json::answer_is_ok(&answer) != Some(true) {
        let envelope = String::from_utf8_lossy(&answer);
        return Err(ApiError::Internal(format!("holdings: the engine refused the ledger's request: {envelope}")));
    }
    let Answer { ok } = serde_json::from_slice(&answer).map_err(internal)?;
    let holdings = of_contact(ok.holdings, &contact)?;
    let certification_holdings = of_contact(ok.certification_holdings, &contact)?;
    json_of(&Holdings { contact: &contact, as_of: &as_of, holdings, certification_holdings })
}

/// The items of `items` (holdings or certification holdings) whose `contact` is `contact`.
fn of_contact<'a>(items: Vec<&'a RawValue>, contact: &str) -> Result<Vec<&'a RawValue>, ApiError> {
    let mut kept = Vec::with_capacity(items.len());
    for item in items {
        let Holding { contact: of } =
            serde_json::from_str(item.get()).map_err(|e| ApiError::Internal(format!("holdings: {e}")))?;
        if of == contact {
            kept.push(item);
        }
    }
    Ok(kept)
}
