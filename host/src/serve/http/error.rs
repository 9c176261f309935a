//! The API's one error type. Every refused request is answered with the core's envelope,
//! `{"error": {"code", "message", "path"}}` (a 422 for a rulebook adds its `diagnostics`), so a
//! client parses one shape everywhere.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::serve::ledger::{LedgerError, Refused, Role};

/// A refused request, or a failure of the service.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The engine answered with an `{"error": …}` envelope: 400 with those very bytes.
    #[error("the engine refused the request")]
    Engine(Vec<u8>),
    /// A request the service itself cannot read: 400.
    #[error("{message}")]
    BadRequest { code: &'static str, message: String, path: String },
    /// No token, or one the ledger does not know: 401.
    #[error("a valid bearer token is required")]
    Unauthorized,
    /// The token's role is weaker than the one the endpoint needs: 403.
    #[error("this needs the `{0}` role")]
    Forbidden(Role),
    /// Nothing here, or another organisation's data (never told apart): 404.
    #[error("not found")]
    NotFound,
    /// The body did not arrive within the body timeout: 408.
    #[error("the request body did not arrive within {0} s")]
    RequestTimeout(u64),
    /// The route exists, not with this method: 405.
    #[error("this method is not allowed here")]
    MethodNotAllowed,
    /// The request conflicts with the ledger's state: 409.
    #[error("{message}")]
    Conflict { code: &'static str, message: String, path: String },
    /// The body is larger than the core's request size limit: 413.
    #[error("the request is larger than {limit} bytes")]
    TooLarge { limit: usize },
    /// The body is not `application/json`: 415.
    #[error("the request body must be `application/json`")]
    UnsupportedMediaType,
    /// A rulebook with error diagnostics: 422 with the `validate` answer's diagnostics.
    #[error("the rulebook has {errors} error diagnostics")]
    InvalidRulebook { errors: usize, diagnostics: Box<serde_json::value::RawValue> },
    /// The engine gave up on a readable request (fuel, memory, time): 422.
    #[error("{0}")]
    EngineLimit(crate::Error),
    /// A failure of the service (database, engine host): 500, logged, never detailed.
    #[error("{0}")]
    Internal(String),
}

impl From<LedgerError> for ApiError {
    fn from(error: LedgerError) -> ApiError {
        ApiError::Internal(error.to_string())
    }
}

impl From<Refused> for ApiError {
    fn from(refused: Refused) -> ApiError {
        match refused {
            Refused::NotFound => ApiError::NotFound,
            Refused::AlreadyRevoked => ApiError::Conflict {
                code: "already-revoked",
                message: "the record is revoked already".into(),
                path: String::new(),
            },
            Refused::Revoked => ApiError::Conflict {
                code: "record-revoked",
                message: "the record is revoked: a revoked record is not edited".into(),
                path: String::new(),
            },
            Refused::ExpiresBeforeValidFrom { valid_from } => ApiError::BadRequest {
                code: "expires-before-valid-from",
                message: format!("`expiresOn` must not be before the record's `validFrom` ({valid_from})"),
                path: "/expiresOn".into(),
            },
        }
    }
}

impl From<crate::Error> for ApiError {
    fn from(error: crate::Error) -> ApiError {
        match error {
            crate::Error::FuelExhausted { .. } | crate::Error::MemoryLimit { .. } | crate::Error::Timeout { .. } => {
                ApiError::EngineLimit(error)
            }
            other => ApiError::Internal(format!("engine: {other}")),
        }
    }
}

impl ApiError {
    /// The response status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Engine(_) | ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::InvalidRulebook { .. } | ApiError::EngineLimit(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable kebab-case code of the envelope.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Engine(_) => "invalid-input",
            ApiError::BadRequest { code, .. } | ApiError::Conflict { code, .. } => code,
            ApiError::Unauthorized => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound => "not-found",
            ApiError::MethodNotAllowed => "method-not-allowed",
            ApiError::RequestTimeout(_) => "request-timeout",
            ApiError::TooLarge { .. } => "limit-exceeded",
            ApiError::UnsupportedMediaType => "unsupported-media-type",
            ApiError::InvalidRulebook { .. } => "invalid-rulebook",
            ApiError::EngineLimit(error) => error.code(),
            ApiError::Internal(_) => "internal",
        }
    }

    fn body(&self) -> Vec<u8> {
        let (message, path) = match self {
            ApiError::Engine(envelope) => return envelope.clone(),
            ApiError::BadRequest { message, path, .. } | ApiError::Conflict { message, path, .. } => {
                (message.clone(), path.as_str())
            }
            ApiError::InvalidRulebook { .. } => (self.to_string(), "/rulebook"),
            // The detail is logged by the request span, never sent.
            ApiError::Internal(_) => ("internal error".to_owned(), ""),
            _ => (self.to_string(), ""),
        };
        let error = serde_json::json!({ "code": self.code(), "message": message, "path": path });
        let body = match self {
            ApiError::InvalidRulebook { diagnostics, .. } => {
                serde_json::json!({ "error": error, "diagnostics": diagnostics })
            }
            _ => serde_json::json!({ "error": error }),
        };
        serde_json::to_vec(&body).unwrap_or_default()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(code = self.code(), detail = %self, "request failed");
        } else {
            tracing::info!(code = self.code(), "request refused");
        }
        let mut response = (status, self.body()).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if status == StatusCode::REQUEST_TIMEOUT {
            // The rest of the body may still come: the connection is not reused.
            response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}
