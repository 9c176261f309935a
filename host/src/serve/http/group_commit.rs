//! Group commit of decisions. A decision is queued under its turn key (`Ledger::turn_key`:
//! SQLite's one writer, or its organisation on PostgreSQL), then its handler waits for that
//! turn; whoever gets the turn takes every decision queued under the key (at most
//! [`MOST_PER_COMMIT`]), makes them one after another in one transaction ([`decisions::make`]:
//! each reads what the ones before it wrote) and commits them together, then answers each. So
//! one commit (one sync of SQLite's write-ahead log, one PostgreSQL commit) and one read of each
//! organisation's counters and sequences serve every decision that waited meanwhile, and
//! numbering stays exactly as one decision at a time would give it.
//!
//! - A decision the ledger refuses (a reused idempotency key) or the engine refuses (a bad
//!   body, no rulebook) wrote nothing, and is answered at once; the others go on.
//! - A failure of the database loses the transaction: every decision in it is answered 500,
//!   and none is stored.
//! - The transaction runs in a task of its own, so a client that hangs up cancels nobody's
//!   decision; a queued decision whose client has gone before its turn is not made.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::Bytes;
use axum::response::Response;
use tokio::sync::oneshot;
use tracing::Instrument as _;

use super::decisions::{self, answered, Decision, DecisionBody, Made};
use super::error::ApiError;
use super::Context;
use crate::serve::ledger::{DecisionTx, LedgerError, Turn};

/// The most decisions one transaction makes: a bound on how long the last of them waits, and
/// on how much one failure of the database undoes.
pub const MOST_PER_COMMIT: usize = 64;

/// The decisions waiting for their turn, by turn key.
#[derive(Debug, Default)]
pub struct Queues(Mutex<BTreeMap<String, VecDeque<Queued>>>);

/// A decision waiting for its turn: the request, and where its answer goes.
#[derive(Debug)]
struct Queued {
    org: String,
    /// The token id: the audit rows' `actor`.
    actor: String,
    body: Bytes,
    key: Option<String>,
    /// The request's span: what is logged of the decision is logged in it.
    span: tracing::Span,
    reply: oneshot::Sender<Result<Response, ApiError>>,
}

impl Queues {
    fn push(&self, turn_key: &str, queued: Queued) {
        let mut queues = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        queues.entry(turn_key.to_owned()).or_default().push_back(queued);
    }

    /// The first [`MOST_PER_COMMIT`] decisions queued under `turn_key` whose clients still
    /// wait (the others are dropped unmade).
    fn take(&self, turn_key: &str) -> Vec<Queued> {
        let mut queues = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(queue) = queues.get_mut(turn_key) else { return Vec::new() };
        let mut taken = Vec::new();
        while taken.len() < MOST_PER_COMMIT {
            let Some(queued) = queue.pop_front() else { break };
            if !queued.reply.is_closed() {
                taken.push(queued);
            }
        }
        if queue.is_empty() {
            queues.remove(turn_key);
        }
        taken
    }
}

/// Makes and stores the decision `body` of `org` by `actor` (the body already read by
/// [`DecisionBody::read`]), in a group commit; answers `{"evaluation", "records",
/// "certified"}`.
pub async fn decide(
    context: &Arc<Context>,
    org: String,
    actor: String,
    body: Bytes,
    key: Option<String>,
) -> Result<Response, ApiError> {
    let (reply, mut answer) = oneshot::channel();
    let turn_key = context.ledger.turn_key(&org).to_owned();
    let span = tracing::Span::current();
    context.queues.push(&turn_key, Queued { org: org.clone(), actor, body, key, span, reply });
    loop {
        // Waits for the answer, or for the turn while the decision is still queued: a decision
        // taken by another turn gives its place in the line up rather than take the decisions
        // queued after it, which wait in the queue for the next turn and are made together.
        let turn = tokio::select! {
            biased;
            answer = &mut answer => return answer.map_err(|_| unanswered())?,
            turn = context.ledger.turn(&org) => turn,
        };
        let queued = context.queues.take(&turn_key);
        if queued.is_empty() {
            // Taken by the turn before, which answered it before it passed the turn on.
            continue;
        }
        let task = tokio::spawn(commit(Arc::clone(context), turn, queued));
        task.await.map_err(|e| ApiError::Internal(format!("group commit: {e}")))?;
    }
}

fn unanswered() -> ApiError {
    ApiError::Internal("the decision's transaction ended without answering it".into())
}

/// Makes `queued` in one transaction in `turn`, commits, and answers each.
async fn commit(context: Arc<Context>, turn: Turn, queued: Vec<Queued>) {
    let count = queued.len();
    let mut tx = match context.ledger.begin_decisions(turn).await {
        Ok(tx) => tx,
        Err(error) => return fail(queued, &error),
    };
    // Every organisation of the group, locked and read at once.
    let orgs: BTreeSet<&str> = queued.iter().map(|queued| queued.org.as_str()).collect();
    if let Err(error) = tx.read_orgs(&orgs).await {
        return fail(queued, &error);
    }
    let mut made = Vec::with_capacity(count);
    let mut rest = queued.into_iter();
    while let Some(queued) = rest.next() {
        let span = queued.span.clone();
        match make(&context, &mut tx, &queued).instrument(span).await {
            Ok(Made::Refused(error)) => {
                let _ = queued.reply.send(Err(error));
            }
            Ok(done) => made.push((queued, done)),
            Err(error) => {
                let lost = made.into_iter().map(|(queued, _)| queued).chain([queued]).chain(rest);
                return fail(lost, &error);
            }
        }
    }
    if let Err(error) = tx.commit().await {
        return fail(made.into_iter().map(|(queued, _)| queued), &error);
    }
    let stored = made.iter().filter(|(_, done)| matches!(done, Made::Stored { .. })).count();
    context.metrics.commit(stored);
    for (queued, done) in made {
        let answer = queued.span.in_scope(|| answered(&context, done));
        let _ = queued.reply.send(answer);
    }
    tracing::debug!(queued = count, "group commit");
}

/// Makes one queued decision in `tx`.
async fn make(context: &Context, tx: &mut DecisionTx, queued: &Queued) -> Result<Made, LedgerError> {
    let parts = match DecisionBody::read(&queued.body, &[]) {
        Ok(parts) => parts,
        Err(error) => return Ok(Made::Refused(error)),
    };
    let decision =
        Decision { org: &queued.org, actor: &queued.actor, body: &queued.body, parts: &parts, key: queued.key.clone() };
    decisions::make(context, tx, &decision, None).await
}

/// Answers each of `lost` with a 500: the database failed, and their transaction with it.
fn fail(lost: impl IntoIterator<Item = Queued>, error: &LedgerError) {
    tracing::error!(%error, "a group commit failed: none of its decisions is stored");
    for queued in lost {
        let _ = queued.reply.send(Err(ApiError::Internal(error.to_string())));
    }
}
