//! `GET /v1/orgs/{org}/audit`: the organisation's audit log, a page at a time. The log is
//! append-only: no endpoint updates or deletes a row.

use std::sync::Arc;

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use serde::Serialize;
use serde_json::value::RawValue;

use super::auth::Auth;
use super::error::ApiError;
use super::ids::Ids;
use super::query::Query;
use super::records::json_of;
use super::Context;
use crate::serve::ledger::{AuditEntry, Role};

/// One row as answered: `before` and `after` are JSON values (stored as JSON text).
#[derive(Serialize)]
struct Row {
    number: i64,
    at: String,
    actor: String,
    action: String,
    record: Option<String>,
    decision: Option<String>,
    before: Option<Box<RawValue>>,
    after: Option<Box<RawValue>>,
    reason: Option<String>,
}

impl Row {
    fn of(entry: AuditEntry) -> Result<Row, ApiError> {
        let value = |text: Option<String>| {
            text.map(RawValue::from_string)
                .transpose()
                .map_err(|e| ApiError::Internal(format!("audit row {}: {e}", entry.number)))
        };
        Ok(Row {
            before: value(entry.before)?,
            after: value(entry.after)?,
            number: entry.number,
            at: entry.at,
            actor: entry.actor,
            action: entry.action,
            record: entry.record,
            decision: entry.decision,
            reason: entry.reason,
        })
    }
}

#[derive(Serialize)]
struct AuditPage {
    audit: Vec<Row>,
    next: Option<String>,
}

/// `GET /v1/orgs/{org}/audit?record=&limit=&cursor=` (role `read`): a page of the audit log
/// (only the rows of `record` when given), in number order.
pub async fn list(
    State(context): State<Arc<Context>>,
    auth: Auth,
    Ids(org): Ids<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    auth.require(&org, Role::Read)?;
    let query = Query::read(&uri, &["record", "limit", "cursor"])?;
    let record = query.text("record")?;
    let page = query.page()?;
    let rows = context.ledger.audit(&org, record.as_deref(), page.after, page.fetch()).await?;
    let (rows, next) = page.finish(rows, |row| row.number);
    let audit = rows.into_iter().map(Row::of).collect::<Result<Vec<_>, _>>()?;
    json_of(&AuditPage { audit, next })
}
