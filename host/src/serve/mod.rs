//! `laureate serve`: the system of record. An HTTP service (tokio + axum) that answers the
//! engine's operations statelessly and keeps each organisation's ledger (rulebook versions,
//! issued records, sequence state, a notification outbox and an append-only audit log) in
//! SQLite. docs/server.md describes the API.
//!
//! - [`http`]: the router, one module per resource, the one error type and the extractors.
//! - [`ledger`]: the database: pool, migrations (`host/migrations/`), queries.

pub mod http;
pub mod ledger;

use std::net::SocketAddr;
use std::sync::Arc;

use crate::Backend;
use ledger::{Ledger, LedgerError, Role};

/// How to run the service.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// `sqlite:PATH`.
    pub database: String,
    /// The address to listen on (default 127.0.0.1:8080).
    pub listen: SocketAddr,
    /// Blocking workers answering engine calls, each with a warm instance. The engine must have
    /// at least this many instance slots (`EngineBuilder::max_concurrency`).
    pub workers: usize,
    /// How long a client has to send a request body, from the end of its head (408 after).
    pub body_timeout: std::time::Duration,
}

/// A failure that stops the service (or a `token` command).
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The tokio runtime could not start.
    #[error("cannot start the runtime: {0}")]
    Runtime(std::io::Error),
    /// The listen address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    /// The server failed while running.
    #[error("server: {0}")]
    Server(std::io::Error),
    /// The ledger could not be opened or written.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// `laureate token revoke` of an id no token has.
    #[error("no token has the id `{0}` (`laureate token list --org ORG` shows the ids)")]
    UnknownToken(String),
    /// `laureate token list` of an organisation the ledger does not have.
    #[error("no organisation has the id `{0}`")]
    UnknownOrg(String),
}

fn runtime(workers: usize) -> Result<tokio::runtime::Runtime, ServeError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Every blocking thread keeps a warm instance, which holds an engine slot: never more
        // threads than slots, so no call waits for a slot an idle thread holds.
        .max_blocking_threads(workers.max(1))
        .build()
        .map_err(ServeError::Runtime)
}

/// Runs the service until SIGTERM or ctrl-c: opens (creating, migrating) the ledger, binds,
/// prints `listening on ADDR` on stdout, and on a signal stops accepting, lets the requests in
/// flight finish (each decision commits or rolls back whole), and closes the ledger.
pub fn serve(options: &ServeOptions, backend: Backend) -> Result<(), ServeError> {
    runtime(options.workers)?.block_on(async {
        let ledger = Ledger::open(&options.database).await?;
        let listener = tokio::net::TcpListener::bind(options.listen)
            .await
            .map_err(|source| ServeError::Bind { addr: options.listen, source })?;
        let addr = listener.local_addr().map_err(ServeError::Server)?;
        tracing::info!(%addr, database = %options.database, engine = backend.name(), "listening");
        {
            use std::io::Write as _;
            let mut stdout = std::io::stdout().lock();
            let _ = writeln!(stdout, "listening on {addr}").and_then(|()| stdout.flush());
        }
        let context = Arc::new(http::Context::new(ledger.clone(), backend, options.body_timeout));
        axum::serve(listener, http::router(context))
            .with_graceful_shutdown(shutdown_signal())
            .await
            .map_err(ServeError::Server)?;
        ledger.close().await;
        tracing::info!("stopped");
        Ok(())
    })
}

/// Resolves on ctrl-c or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing the requests in flight");
}

/// `laureate token create`: a new token of `role` for `org` (created when new), accepted for
/// `expires_in` days (`None`: until revoked), returned once.
pub fn create_token(database: &str, org: &str, role: Role, expires_in: Option<u32>) -> Result<String, ServeError> {
    runtime(1)?.block_on(async {
        let ledger = Ledger::open(database).await?;
        let expires_at = expires_in.map(ledger::days_from_now);
        let (id, token) = ledger.create_token(org, role, expires_at.as_deref()).await?;
        ledger.close().await;
        tracing::info!(token = %id, org, role = %role, expires_at = expires_at.as_deref(), "token created");
        Ok(token)
    })
}

/// `laureate token revoke`: the token `id` is refused from now on (revoking it again changes
/// nothing).
pub fn revoke_token(database: &str, id: &str) -> Result<(), ServeError> {
    runtime(1)?.block_on(async {
        let ledger = Ledger::open(database).await?;
        let known = ledger.revoke_token(id).await;
        ledger.close().await;
        if !known? {
            return Err(ServeError::UnknownToken(id.to_owned()));
        }
        tracing::info!(token = id, "token revoked");
        Ok(())
    })
}

/// `laureate token list`: the tokens of `org`, oldest first.
pub fn list_tokens(database: &str, org: &str) -> Result<Vec<ledger::TokenInfo>, ServeError> {
    runtime(1)?.block_on(async {
        let ledger = Ledger::open(database).await?;
        let tokens = ledger.tokens(org).await;
        ledger.close().await;
        tokens?.ok_or_else(|| ServeError::UnknownOrg(org.to_owned()))
    })
}

/// Logs to stderr, `LAUREATE_LOG` filtering (default `info`); colours only on a terminal.
pub fn init_logging() {
    use std::io::IsTerminal as _;
    let filter = tracing_subscriber::EnvFilter::try_from_env("LAUREATE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .try_init();
}
