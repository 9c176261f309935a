//! The HTTP API: the router, the shared context, and the request-id span every request runs in.
//! One module per resource; `error.rs` is the one error type, `auth.rs` and `body.rs` the
//! extractors, `page.rs` and `query.rs` the lists' pagination and query strings.

mod audit;
mod auth;
mod body;
mod certifications;
mod corrections;
mod decisions;
mod error;
mod group_commit;
mod holdings;
mod ids;
pub mod metrics;
mod notifications;
mod operations;
mod page;
mod query;
mod records;
mod rulebook;
mod verify;

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, patch, post, put, MethodRouter};
use axum::Router;
use tracing::Instrument as _;

pub use error::ApiError;

use super::ledger::Ledger;
use crate::{Backend, Session};

/// What every handler shares: the ledger and the engine.
#[derive(Debug)]
pub struct Context {
    pub ledger: Ledger,
    pub backend: Backend,
    /// How long a client has to send a request body (`JsonBody`; 408 after).
    pub body_timeout: Duration,
    /// The counters of `GET /metrics`.
    pub metrics: metrics::Metrics,
    /// The decisions waiting for a group commit.
    queues: group_commit::Queues,
    /// A per-process counter for request ids (`<process start>-<n>` would also do; logs only).
    next_request: AtomicU64,
}

impl Context {
    pub fn new(ledger: Ledger, backend: Backend, body_timeout: Duration) -> Context {
        Context {
            ledger,
            backend,
            body_timeout,
            metrics: metrics::Metrics::default(),
            queues: group_commit::Queues::default(),
            next_request: AtomicU64::new(1),
        }
    }

    /// Runs `operation` on `request` on a blocking worker, in that worker's warm instance (one per
    /// thread, made by its first call; the runtime has no more blocking threads than the engine
    /// has instance slots, so no worker waits for a slot).
    pub async fn call(&self, operation: &'static str, request: Vec<u8>) -> Result<Vec<u8>, ApiError> {
        thread_local! {
            static SESSION: RefCell<Option<Session>> = const { RefCell::new(None) };
        }
        let backend = self.backend.clone();
        let span = tracing::Span::current();
        let (answer, fuel) = tokio::task::spawn_blocking(move || {
            let _entered = span.enter();
            SESSION.with(|cell| {
                let mut session = cell.borrow_mut();
                session.get_or_insert_with(|| backend.session()).call_measured(operation, &request)
            })
        })
        .await
        .map_err(|e| ApiError::Internal(format!("engine worker: {e}")))?
        .map_err(ApiError::from)?;
        self.metrics.engine_call(operation, fuel);
        Ok(answer)
    }
}

/// A handler of the router.
#[derive(Clone, Copy, Debug)]
enum Endpoint {
    Healthz,
    Metrics,
    OpenApi,
    Evaluate,
    Validate,
    FormatIdentifier,
    CodeUsage,
    RenameCode,
    ImportTrainingRecords,
    ExportTrainingRecords,
    Compare,
    GetRulebook,
    PutRulebook,
    PostDecision,
    // Records, their corrections, the audit log and holdings.
    ListRecords,
    GetRecord,
    EditRecord,
    RevokeRecord,
    ReissueRecord,
    ListAudit,
    GetHoldings,
    // Certification records and their revocation.
    ListCertifications,
    GetCertification,
    RevokeCertification,
    Verify,
    ListNotifications,
    AckNotifications,
}

/// One route: a method on a path (axum's `{param}` syntax, as in the OpenAPI document).
#[derive(Clone, Copy, Debug)]
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    endpoint: Endpoint,
}

const fn route(method: &'static str, path: &'static str, endpoint: Endpoint) -> Route {
    Route { method, path, endpoint }
}

/// Every route the service serves: the router is built from this list, and a test checks
/// `openapi.json` against it.
pub const ROUTES: &[Route] = &[
    route("GET", "/healthz", Endpoint::Healthz),
    route("GET", "/metrics", Endpoint::Metrics),
    route("GET", "/v1/openapi.json", Endpoint::OpenApi),
    route("POST", "/v1/evaluate", Endpoint::Evaluate),
    route("POST", "/v1/validate", Endpoint::Validate),
    route("POST", "/v1/format-identifier", Endpoint::FormatIdentifier),
    route("POST", "/v1/code-usage", Endpoint::CodeUsage),
    route("POST", "/v1/rename-code", Endpoint::RenameCode),
    route("POST", "/v1/import-training-records", Endpoint::ImportTrainingRecords),
    route("POST", "/v1/export-training-records", Endpoint::ExportTrainingRecords),
    route("POST", "/v1/compare", Endpoint::Compare),
    route("GET", "/v1/orgs/{org}/rulebook", Endpoint::GetRulebook),
    route("PUT", "/v1/orgs/{org}/rulebook", Endpoint::PutRulebook),
    route("POST", "/v1/orgs/{org}/decisions", Endpoint::PostDecision),
    // Records, their corrections, the audit log and holdings.
    route("GET", "/v1/orgs/{org}/records", Endpoint::ListRecords),
    route("GET", "/v1/orgs/{org}/records/{id}", Endpoint::GetRecord),
    route("PATCH", "/v1/orgs/{org}/records/{id}", Endpoint::EditRecord),
    route("POST", "/v1/orgs/{org}/records/{id}/revoke", Endpoint::RevokeRecord),
    route("POST", "/v1/orgs/{org}/records/{id}/reissue", Endpoint::ReissueRecord),
    route("GET", "/v1/orgs/{org}/audit", Endpoint::ListAudit),
    route("GET", "/v1/orgs/{org}/contacts/{contact}/holdings", Endpoint::GetHoldings),
    // Certification records and their revocation.
    route("GET", "/v1/orgs/{org}/certifications", Endpoint::ListCertifications),
    route("GET", "/v1/orgs/{org}/certifications/{id}", Endpoint::GetCertification),
    route("POST", "/v1/orgs/{org}/certifications/{id}/revoke", Endpoint::RevokeCertification),
    // Verification and the notification outbox.
    route("GET", "/v1/verify/{identifier}", Endpoint::Verify),
    route("GET", "/v1/orgs/{org}/notifications", Endpoint::ListNotifications),
    route("POST", "/v1/orgs/{org}/notifications/ack", Endpoint::AckNotifications),
];

fn handler(endpoint: Endpoint) -> MethodRouter<Arc<Context>> {
    match endpoint {
        Endpoint::Healthz => get(operations::healthz),
        Endpoint::Metrics => get(operations::metrics),
        Endpoint::OpenApi => get(operations::openapi),
        Endpoint::Evaluate => post(operations::evaluate),
        Endpoint::Validate => post(operations::validate),
        Endpoint::FormatIdentifier => post(operations::format_identifier),
        Endpoint::CodeUsage => post(operations::code_usage),
        Endpoint::RenameCode => post(operations::rename_code),
        Endpoint::ImportTrainingRecords => post(operations::import_training_records),
        Endpoint::ExportTrainingRecords => post(operations::export_training_records),
        Endpoint::Compare => post(operations::compare),
        Endpoint::GetRulebook => get(rulebook::get),
        Endpoint::PutRulebook => put(rulebook::put),
        Endpoint::PostDecision => post(decisions::post),
        Endpoint::ListRecords => get(records::list),
        Endpoint::GetRecord => get(records::get),
        Endpoint::EditRecord => patch(corrections::edit),
        Endpoint::RevokeRecord => post(corrections::revoke),
        Endpoint::ReissueRecord => post(corrections::reissue),
        Endpoint::ListAudit => get(audit::list),
        Endpoint::GetHoldings => get(holdings::get),
        Endpoint::ListCertifications => get(certifications::list),
        Endpoint::GetCertification => get(certifications::get),
        Endpoint::RevokeCertification => post(certifications::revoke),
        Endpoint::Verify => get(verify::get),
        Endpoint::ListNotifications => get(notifications::list),
        Endpoint::AckNotifications => post(notifications::ack),
    }
}

/// The template of the route `path` matches (as the router matches it: a `{param}` is one
/// non-empty segment), `unmatched` when none does: a bounded metrics label.
fn route_of(path: &str) -> &'static str {
    let matches = |template: &str| {
        let mut segments = path.split('/');
        template.split('/').all(|part| {
            segments.next().is_some_and(|segment| segment == part || (part.starts_with('{') && !segment.is_empty()))
        }) && segments.next().is_none()
    };
    ROUTES.iter().map(|route| route.path).find(|template| matches(template)).unwrap_or("unmatched")
}

/// The router of every endpoint of [`ROUTES`] (the method routers of one path merged).
pub fn router(context: Arc<Context>) -> Router {
    ROUTES
        .iter()
        .fold(Router::new(), |router, route| router.route(route.path, handler(route.endpoint)))
        .fallback(|| async { ApiError::NotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        // `JsonBody` enforces the core's limit itself.
        .layer(DefaultBodyLimit::disable())
        .layer(middleware::from_fn_with_state(Arc::clone(&context), request_span))
        .with_state(context)
}

/// Gives each request an id (`x-request-id` on the response) and a span that logs its outcome.
async fn request_span(
    axum::extract::State(context): axum::extract::State<Arc<Context>>,
    request: Request,
    next: Next,
) -> Response {
    let id = format!("req-{}", context.next_request.fetch_add(1, Ordering::Relaxed));
    let span = tracing::info_span!(
        "request",
        id = %id,
        method = %request.method(),
        path = %request.uri().path(),
        actor = tracing::field::Empty,
    );
    let started = Instant::now();
    let method = metrics::method_label(request.method());
    let route = route_of(request.uri().path());
    let mut response = next.run(request).instrument(span.clone()).await;
    context.metrics.observe(route, method, response.status().as_u16(), started.elapsed());
    span.in_scope(|| {
        tracing::info!(
            status = response.status().as_u16(),
            elapsed_ms = started.elapsed().as_secs_f64() * 1e3,
            "answered"
        );
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}
