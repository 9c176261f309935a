//! `/v1/orgs/{org}/certifications`: the organisation's certification records (spec.md §7,
//! Recertification records), one by id or a page at a time, and their revocation (role
//! `correct`, with a required `reason` and an audit row).

use std::sync::Arc;

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use serde::Serialize;

use super::auth::Auth;
use super::body::JsonBody;
use super::corrections::{date, reason, Fields};
use super::error::ApiError;
use super::ids::Ids;
use super::query::Query;
use super::records::json_of;
use super::Context;
use crate::serve::ledger::{today, CertificationFilter, Correction, Role, StoredCertification};

/// The query parameters of `GET …/certifications`.
const LIST_PARAMETERS: [&str; 6] = ["contact", "certification", "completedFrom", "completedTo", "limit", "cursor"];

/// `GET /v1/orgs/{org}/certifications/{id}` (role `read`): the certification record, as the
/// engine reads it (`evidence.certified`) with its `certificate` and the `decision` that stored
/// it; 404 when unknown.
pub async fn get(
    State(context): State<Arc<Context>>,
    auth: Auth,
    Ids((org, id)): Ids<(String, String)>,
) -> Result<Response, ApiError> {
    auth.require(&org, Role::Read)?;
    let record = context.ledger.certification(&org, &id).await?.ok_or(ApiError::NotFound)?;
    json_of(&record)
}

#[derive(Serialize)]
struct CertificationsPage {
    certifications: Vec<StoredCertification>,
    next: Option<String>,
}

/// `GET /v1/orgs/{org}/certifications?contact=&certification=&completedFrom=&completedTo=&limit=&cursor=`
/// (role `read`): a page of the certification records those filters select (`completedOn`
/// within the dates, both inclusive), in number order. A contact's records are `?contact=`.
pub async fn list(
    State(context): State<Arc<Context>>,
    auth: Auth,
    Ids(org): Ids<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    auth.require(&org, Role::Read)?;
    let query = Query::read(&uri, &LIST_PARAMETERS)?;
    let filter = CertificationFilter {
        contact: query.text("contact")?,
        certification: query.text("certification")?,
        completed_from: query.date("completedFrom")?,
        completed_to: query.date("completedTo")?,
    };
    let page = query.page()?;
    let rows = context.ledger.certifications(&org, &filter, page.after, page.fetch()).await?;
    let (certifications, next) = page.finish(rows, |record| record.number);
    json_of(&CertificationsPage { certifications, next })
}

/// `POST /v1/orgs/{org}/certifications/{id}/revoke` (role `correct`): body `{"reason", "on"?}`
/// (`on` defaults to the current UTC date). Answers the revoked certification record; 409
/// `already-revoked`. The engine never proposes the revoked cycle again, and the certification
/// starts over from results dated after `on`.
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
    let record = context.ledger.revoke_certification(&org, &id, &on, correction).await??;
    tracing::info!(certification = %id, "certification record revoked");
    json_of(&record)
}
