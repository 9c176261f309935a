//! `/v1/orgs/{org}/notifications`: the outbox a decision fills with its `notify` actions, read in
//! queue order (`GET`, role `read`) and acknowledged once delivered (`POST …/ack`, role `decide`).

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::auth::Auth;
use super::body::JsonBody;
use super::error::ApiError;
use super::ids::Ids;
use super::operations::json_response;
use super::page::Page;
use super::query::Query;
use super::Context;
use crate::serve::ledger::{Notification, NotificationFilter, Role};

/// The most keys one acknowledgement takes.
pub const MAX_KEYS: usize = 1_000;

#[derive(Serialize)]
struct Listing<'a> {
    notifications: Vec<Item<'a>>,
    next: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Item<'a> {
    key: &'a str,
    action: &'a RawValue,
    decision: &'a str,
    created_at: &'a str,
    acknowledged_at: Option<&'a str>,
}

#[derive(Serialize)]
struct AckAnswer<'a> {
    acknowledged: &'a [String],
    unknown: &'a [String],
}

/// `GET /v1/orgs/{org}/notifications?pending=&limit=&cursor=` (role `read`): a page of the
/// outbox in queue order, `{"notifications", "next"}`. `pending=true`: only those not
/// acknowledged; `pending=false`: only those acknowledged; absent: all.
pub async fn list(
    State(context): State<Arc<Context>>,
    auth: Auth,
    Ids(org): Ids<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    auth.require(&org, Role::Read)?;
    let (filter, page) = read_query(&uri)?;
    let rows = context.ledger.notifications(&org, filter, page.after, page.fetch()).await?;
    let (rows, next) = page.finish(rows, |row| row.number);
    let notifications = rows.iter().map(item).collect::<Result<_, _>>()?;
    let body = serde_json::to_vec(&Listing { notifications, next }).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(json_response(body))
}

fn item(row: &Notification) -> Result<Item<'_>, ApiError> {
    let action = serde_json::from_str(&row.action)
        .map_err(|e| ApiError::Internal(format!("the stored action of `{}`: {e}", row.key)))?;
    Ok(Item {
        key: &row.key,
        action,
        decision: &row.decision,
        created_at: &row.created_at,
        acknowledged_at: row.acknowledged_at.as_deref(),
    })
}

/// `POST /v1/orgs/{org}/notifications/ack` (role `decide`): body `{"keys": [1 to 1,000
/// strings]}` → `{"acknowledged", "unknown"}`. A key acknowledged before is in neither list, so
/// acknowledging twice changes nothing.
pub async fn ack(
    State(context): State<Arc<Context>>,
    auth: Auth,
    Ids(org): Ids<String>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let principal = auth.require(&org, Role::Decide)?;
    let keys = read_keys(&body)?;
    let answer = context.ledger.acknowledge(&org, &principal.token_id, &keys).await?;
    tracing::info!(
        acknowledged = answer.acknowledged.len(),
        unknown = answer.unknown.len(),
        "notifications acknowledged"
    );
    let body = serde_json::to_vec(&AckAnswer { acknowledged: &answer.acknowledged, unknown: &answer.unknown })
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(json_response(body))
}

/// The listing's `pending`, `limit` and `cursor` (each at most once; no other parameter).
fn read_query(uri: &Uri) -> Result<(NotificationFilter, Page), ApiError> {
    let query = Query::read(uri, &["pending", "limit", "cursor"])?;
    let filter = match query.text("pending")?.as_deref() {
        None => NotificationFilter::All,
        Some("true") => NotificationFilter::Pending,
        Some("false") => NotificationFilter::Acknowledged,
        Some(_) => {
            return Err(ApiError::BadRequest {
                code: "invalid-query",
                message: "`pending` must be `true` or `false`".into(),
                path: "?pending".into(),
            })
        }
    };
    Ok((filter, query.page()?))
}

fn invalid(code: &'static str, message: impl Into<String>, path: impl Into<String>) -> ApiError {
    ApiError::BadRequest { code, message: message.into(), path: path.into() }
}

/// The `keys` of an acknowledgement's body, `{"keys": [1 to 1,000 strings]}`.
fn read_keys(body: &[u8]) -> Result<Vec<String>, ApiError> {
    let Members(members) = serde_json::from_slice(body).map_err(|e| {
        if e.is_data() {
            invalid("invalid-input", "expected an object", "")
        } else {
            invalid("invalid-json", format!("the body is not json: {e}"), "")
        }
    })?;
    let mut seen = BTreeSet::new();
    let mut keys = None;
    for (name, value) in members {
        let path = format!("/{}", name.replace('~', "~0").replace('/', "~1"));
        if !seen.insert(name.clone()) {
            return Err(invalid("invalid-input", format!("duplicate member `{name}`"), path));
        }
        if name != "keys" {
            return Err(invalid(
                "invalid-input",
                format!("unknown member `{name}` (the body is `{{\"keys\"}}`)"),
                path,
            ));
        }
        keys = Some(value);
    }
    let keys = keys.ok_or_else(|| invalid("invalid-input", "missing member `keys`", "/keys"))?;
    let expected = || invalid("invalid-input", format!("`keys` must be an array of 1 to {MAX_KEYS} strings"), "/keys");
    let items: Vec<&RawValue> = serde_json::from_str(keys.get()).map_err(|_| expected())?;
    if items.is_empty() || items.len() > MAX_KEYS {
        return Err(expected());
    }
    items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            serde_json::from_str::<String>(item.get())
                .map_err(|_| invalid("invalid-input", "expected a string", format!("/keys/{index}")))
        })
        .collect()
}

/// An object's members in document order (a duplicate is kept, to be refused).
struct Members<'a>(Vec<(String, &'a RawValue)>);

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Members<'de>, D::Error> {
        struct MembersVisitor;
        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members<'de>, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry::<String, &'de RawValue>()? {
                    members.push(member);
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(MembersVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(text: &str) -> Result<(NotificationFilter, Page), String> {
        let uri: Uri = format!("/v1/orgs/acme/notifications{text}").parse().unwrap();
        read_query(&uri).map_err(|e| match e {
            ApiError::BadRequest { path, .. } => path,
            other => panic!("{other}"),
        })
    }

    #[test]
    fn the_query_is_read_or_refused_at_its_parameter() {
        assert_eq!(query("").unwrap().0, NotificationFilter::All);
        let (filter, page) = query("?pending=true&limit=5&cursor=p7").unwrap();
        assert_eq!((filter, page.after, page.limit), (NotificationFilter::Pending, 7, 5));
        assert_eq!(query("?pending=false").unwrap().0, NotificationFilter::Acknowledged);
        assert_eq!(query("?pending=yes").unwrap_err(), "?pending");
        assert_eq!(query("?limit=0").unwrap_err(), "?limit");
        assert_eq!(query("?cursor=7").unwrap_err(), "?cursor");
        assert_eq!(query("?limit=1&limit=2").unwrap_err(), "?limit");
        assert_eq!(query("?dryRun=true").unwrap_err(), "?dryRun");
    }

    fn keys(body: &str) -> Result<Vec<String>, (String, String)> {
        read_keys(body.as_bytes()).map_err(|e| match e {
            ApiError::BadRequest { code, path, .. } => (code.to_owned(), path),
            other => panic!("{other}"),
        })
    }

    #[test]
    fn keys_are_read_or_refused_at_their_pointer() {
        assert_eq!(keys(r#"{"keys": ["a", "b\/c"]}"#).unwrap(), ["a", "b/c"]);
        let refused = |code: &str, path: &str| Err((code.to_owned(), path.to_owned()));
        assert_eq!(keys(r#"{"keys": ["#), refused("invalid-json", ""));
        assert_eq!(keys("[]"), refused("invalid-input", ""));
        assert_eq!(keys("{}"), refused("invalid-input", "/keys"));
        assert_eq!(keys(r#"{"keys": []}"#), refused("invalid-input", "/keys"));
        assert_eq!(keys(r#"{"keys": "a"}"#), refused("invalid-input", "/keys"));
        assert_eq!(keys(r#"{"keys": ["a", 3]}"#), refused("invalid-input", "/keys/1"));
        assert_eq!(keys(r#"{"keys": ["a"], "keys": ["b"]}"#), refused("invalid-input", "/keys"));
        assert_eq!(keys(r#"{"keys": ["a"], "a/b": 1}"#), refused("invalid-input", "/a~1b"));
        let many = serde_json::json!({ "keys": vec!["k"; MAX_KEYS + 1] }).to_string();
        assert_eq!(keys(&many), refused("invalid-input", "/keys"));
    }
}
