//! The stateless endpoints: the operations of spec.md §2, whose bodies are the core's request
//! and answer, byte for byte. Any number of replicas can answer them.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

use super::body::JsonBody;
use super::error::ApiError;
use super::Context;

/// `GET /healthz`: the process answers and its ledger is open.
pub async fn healthz() -> Response {
    json_response(br#"{"status":"ok"}"#.to_vec())
}

/// `GET /metrics`: Prometheus text, no token (the service binds loopback unless told otherwise).
pub async fn metrics(State(context): State<Arc<Context>>) -> Response {
    let mut response = context.metrics.render().into_response();
    let content_type = HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8");
    response.headers_mut().insert(header::CONTENT_TYPE, content_type);
    response
}

/// `GET /v1/openapi.json`: the OpenAPI 3.1 document of every route (`host/src/serve/openapi.json`).
pub async fn openapi() -> Response {
    json_response(include_str!("../openapi.json").as_bytes().to_vec())
}

/// A 200 with a JSON body.
pub fn json_response(body: Vec<u8>) -> Response {
    let mut response = body.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// The engine's answer: `ok` is a 200 with its bytes, an `error` envelope a 400 with its bytes.
pub fn engine_answer(answer: Vec<u8>) -> Result<Response, ApiError> {
    match crate::json::answer_is_ok(&answer) {
        Some(true) => Ok(json_response(answer)),
        _ => Err(ApiError::Engine(answer)),
    }
}

async fn operation(context: &Context, name: &'static str, JsonBody(body): JsonBody) -> Result<Response, ApiError> {
    engine_answer(context.call(name, body.to_vec()).await?)
}

/// `POST /v1/evaluate`.
pub async fn evaluate(State(context): State<Arc<Context>>, body: JsonBody) -> Result<Response, ApiError> {
    operation(&context, "evaluate", body).await
}

/// `POST /v1/validate`.
pub async fn validate(State(context): State<Arc<Context>>, body: JsonBody) -> Result<Response, ApiError> {
    operation(&context, "validate", body).await
}

/// `POST /v1/format-identifier`.
pub async fn format_identifier(State(context): State<Arc<Context>>, body: JsonBody) -> Result<Response, ApiError> {
    operation(&context, "formatIdentifier", body).await
}

/// `POST /v1/code-usage`.
pub async fn code_usage(State(context): State<Arc<Context>>, body: JsonBody) -> Result<Response, ApiError> {
    operation(&context, "codeUsage", body).await
}

/// `POST /v1/rename-code`.
pub async fn rename_code(State(context): State<Arc<Context>>, body: JsonBody) -> Result<Response, ApiError> {
    operation(&context, "renameCode", body).await
}

/// `POST /v1/import-training-records`.
pub async fn import_training_records(
    State(context): State<Arc<Context>>,
    body: JsonBody,
) -> Result<Response, ApiError> {
    operation(&context, "importTrainingRecords", body).await
}

/// `POST /v1/export-training-records`.
pub async fn export_training_records(
    State(context): State<Arc<Context>>,
    body: JsonBody,
) -> Result<Response, ApiError> {
    operation(&context, "exportTrainingRecords", body).await
}

/// `POST /v1/compare`.
pub async fn compare(State(context): State<Arc<Context>>, body: JsonBody) -> Result<Response, ApiError> {
    operation(&context, "compare", body).await
}
