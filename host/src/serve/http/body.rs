//! The JSON body extractor: `application/json` only (415), at most the core's request size
//! (413, refused from `Content-Length` before anything is read, and counted while streaming
//! when there is none), within the body timeout (408: a client that sends its head and then
//! stalls holds a connection, never a worker or the ledger).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use http_body_util::{BodyExt as _, LengthLimitError, Limited};

use super::error::ApiError;
use super::Context;

/// The core's request size limit (docs/limits.md): a larger body could only be refused by it.
pub fn max_body_bytes() -> usize {
    laureate_core::Limits::default().max_request_bytes
}

/// A request body that is JSON by its content type, read whole within the size limit. Its
/// bytes go to the engine untouched.
#[derive(Debug)]
pub struct JsonBody(pub Bytes);

impl FromRequest<Arc<Context>> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, context: &Arc<Context>) -> Result<JsonBody, ApiError> {
        let headers = request.headers();
        let is_json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
        if !is_json {
            return Err(ApiError::UnsupportedMediaType);
        }
        let limit = max_body_bytes();
        let declared =
            headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|length| length > limit as u64) {
            return Err(ApiError::TooLarge { limit });
        }
        let timeout = context.body_timeout;
        let Ok(read) = tokio::time::timeout(timeout, Limited::new(request.into_body(), limit).collect()).await else {
            return Err(ApiError::RequestTimeout(timeout.as_secs()));
        };
        match read {
            Ok(collected) => Ok(JsonBody(collected.to_bytes())),
            Err(error) if error.downcast_ref::<LengthLimitError>().is_some() => Err(ApiError::TooLarge { limit }),
            Err(error) => Err(ApiError::BadRequest {
                code: "unreadable-body",
                message: format!("cannot read the request body: {error}"),
                path: String::new(),
            }),
        }
    }
}
