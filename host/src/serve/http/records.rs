//! `/v1/orgs/{org}/records`: the organisation's issued records, one by id or a page at a time.

use std::sync::Arc;

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use serde::Serialize;

use super::auth::Auth;
use super::error::ApiError;
use super::ids::Ids;
use super::operations::json_response;
use super::query::Query;
use super::Context;
use crate::serve::ledger::{RecordFilter, Role, StoredRecord};

/// The query parameters of `GET …/records`.
const LIST_PARAMETERS: [&str; 6] = ["achievement", "contact", "awardedFrom", "awardedTo", "limit", "cursor"];

/// A 200 with `value` as JSON.
pub fn json_of(value: &impl Serialize) -> Result<Response, ApiError> {
    let body = serde_json::to_vec(value).map_err(|e| ApiError::Internal(format!("answer: {e}")))?;
    Ok(json_response(body))
}

/// `GET /v1/orgs/{org}/records/{id}` (role `read`): the record, as the engine reads it
/// (`evidence.issued`) with the `decision` that issued it; 404 when unknown.
pub async fn get(
    State(context): State<Arc<Context>>,
    auth: Auth,
    Ids((org, id)): Ids<(String, String)>,
) -> Result<Response, ApiError> {
    auth.require(&org, Role::Read)?;
    let record = context.ledger.record(&org, &id).await?.ok_or(ApiError::NotFound)?;
    json_of(&record)
}

#[derive(Serialize)]
struct RecordsPage {
    records: Vec<StoredRecord>,
    next: Option<String>,
}

/// `GET /v1/orgs/{org}/records?achievement=&contact=&awardedFrom=&awardedTo=&limit=&cursor=`
/// (role `read`): a page of the records those filters select (`awardedOn` within the dates,
/// both inclusive), in record number order.
pub async fn list(
    State(context): State<Arc<Context>>,
    auth: Auth,
    Ids(org): Ids<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    auth.require(&org, Role::Read)?;
    let query = Query::read(&uri, &LIST_PARAMETERS)?;
    let filter = RecordFilter {
        achievement: query.text("achievement")?,
        contact: query.text("contact")?,
        awarded_from: query.date("awardedFrom")?,
        awarded_to: query.date("awardedTo")?,
    };
    let page = query.page()?;
    let rows = context.ledger.records(&org, &filter, page.after, page.fetch()).await?;
    let (records, next) = page.finish(rows, |record| record.number);
    json_of(&RecordsPage { records, next })
}
