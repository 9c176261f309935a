//! Bearer-token authentication as an extractor: a request without a valid token never reaches
//! its handler.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

use super::error::ApiError;
use super::Context;
use crate::serve::ledger::{Authentication, Principal, Role};

/// The principal of the request's `Authorization: Bearer <token>`.
#[derive(Debug)]
pub struct Auth(pub Principal);

impl Auth {
    /// Admits the principal to `org`'s data with at least `role`: another organisation's data
    /// is 404 (its existence is never revealed), a weaker role 403.
    pub fn require(&self, org: &str, role: Role) -> Result<&Principal, ApiError> {
        if self.0.org != org {
            return Err(ApiError::NotFound);
        }
        if self.0.role < role {
            return Err(ApiError::Forbidden(role));
        }
        Ok(&self.0)
    }
}

impl FromRequestParts<Arc<Context>> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, context: &Arc<Context>) -> Result<Auth, ApiError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split_once(' '))
            // The scheme is case-insensitive (RFC 9110 §11.1).
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
            .filter(|token| !token.is_empty() && token.len() <= 256)
            .ok_or(ApiError::Unauthorized)?;
        let principal = match context.ledger.authenticate(token).await? {
            Authentication::Accepted(principal) => principal,
            Authentication::Unknown => return Err(ApiError::Unauthorized),
            // Answered as an unknown token is; the reason is for the log only.
            Authentication::Expired(id) => return Err(refused(&id, "expired")),
            Authentication::Revoked(id) => return Err(refused(&id, "revoked")),
        };
        tracing::Span::current().record("actor", principal.token_id.as_str());
        Ok(Auth(principal))
    }
}

/// A stored token the ledger no longer accepts: logged with its id and why, answered 401.
fn refused(id: &str, reason: &'static str) -> ApiError {
    tracing::info!(token = id, reason, "token refused");
    ApiError::Unauthorized
}
