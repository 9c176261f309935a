//! The ids in a request's path (`{org}`, `{id}`, `{contact}`, `{identifier}`), percent-decoded.
//! A path whose ids are not UTF-8, or hold NUL (`%00`: PostgreSQL's text cannot hold one, so no
//! id of the ledger has it, and it is never sent to the database), names nothing that can exist,
//! so it is a 404 `not-found` envelope like any unknown id, never axum's plain-text rejection
//! or a database error.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// The path's ids: a `String`, or a tuple of them in the route's order.
#[derive(Debug)]
pub struct Ids<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Ids<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Ids<T>, ApiError> {
        match Path::<Vec<(String, String)>>::from_request_parts(parts, state).await {
            Ok(Path(ids)) if ids.iter().any(|(_, id)| id.contains('\0')) => {
                tracing::info!("path ids refused: nul");
                return Err(ApiError::NotFound);
            }
            _ => {}
        }
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(ids)) => Ok(Ids(ids)),
            Err(rejection) => {
                tracing::info!(%rejection, "path ids refused");
                Err(ApiError::NotFound)
            }
        }
    }
}
