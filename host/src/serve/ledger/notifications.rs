//! The notification outbox as clients read it: the queue in order, and acknowledgements.
//!
//! A decision queues its `notify` actions (`DecisionTx::commit`), each numbered in its
//! organisation's queue order. An acknowledgement marks them delivered; it numbers nothing, so
//! it runs in a plain write transaction (`Pool::begin_unlocked`) rather than
//! under the organisation's lock: it never waits for a decision's evaluation on PostgreSQL (the
//! `UPDATE`'s row locks order two acknowledgements of one key), and on SQLite it takes the
//! database's write lock as every write does.

use super::{now, sql, Ledger, LedgerError};

/// Which notifications a listing shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotificationFilter {
    /// Every one.
    All,
    /// Those not acknowledged yet.
    Pending,
    /// Those acknowledged.
    Acknowledged,
}

/// One queued notification.
#[derive(Clone, Debug)]
pub struct Notification {
    /// Its position in the organisation's queue, from 1.
    pub number: i64,
    /// `<event or path>/<learner>/<achievement>/<trigger>`.
    pub key: String,
    /// The `notify` action's JSON.
    pub action: String,
    /// The decision that queued it.
    pub decision: String,
    pub created_at: String,
    pub acknowledged_at: Option<String>,
}

/// What an acknowledgement did with its keys, each list in the order the keys were given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Acknowledged {
    /// Keys of pending notifications, acknowledged now.
    pub acknowledged: Vec<String>,
    /// Keys no notification of the organisation has.
    pub unknown: Vec<String>,
}

type NotificationRow = (i64, String, String, String, String, Option<String>);

impl Ledger {
    /// At most `limit` notifications of `org` after queue position `after`, in queue order.
    pub async fn notifications(
        &self,
        org: &str,
        filter: NotificationFilter,
        after: i64,
        limit: i64,
    ) -> Result<Vec<Notification>, LedgerError> {
        let statement = match filter {
            NotificationFilter::All => sql::NOTIFICATIONS,
            NotificationFilter::Pending => sql::PENDING_NOTIFICATIONS,
            NotificationFilter::Acknowledged => sql::ACKNOWLEDGED_NOTIFICATIONS,
        };
        let rows: Vec<NotificationRow> =
            sqlx::query_as(statement).bind(org).bind(after).bind(limit).fetch_all(&self.store.pool.pool).await?;
        let notifications = rows
            .into_iter()
            .map(|(number, key, action, decision, created_at, acknowledged_at)| Notification {
                number,
                key,
                action,
                decision,
                created_at,
                acknowledged_at,
            })
            .collect();
        Ok(notifications)
    }

    /// Acknowledges the notifications of `org` with these `keys` on behalf of `actor` (a token
    /// id), in one transaction. A key acknowledged before is in neither list of the answer.
    pub async fn acknowledge(&self, org: &str, actor: &str, keys: &[String]) -> Result<Acknowledged, LedgerError> {
        let at = now();
        let mut tx = self.store.pool.begin_unlocked().await?;
        let mut answer = Acknowledged::default();
        for key in keys {
            // PostgreSQL's text cannot hold NUL, so no stored key has one.
            if key.contains('\0') {
                answer.unknown.push(key.clone());
                continue;
            }
            let updated =
                sqlx::query(sql::ACKNOWLEDGE).bind(org).bind(key).bind(&at).bind(actor).execute(&mut *tx).await?;
            if updated.rows_affected() > 0 {
                answer.acknowledged.push(key.clone());
                continue;
            }
            let known: i64 = sqlx::query_scalar(sql::OUTBOX_HAS_KEY).bind(org).bind(key).fetch_one(&mut *tx).await?;
            if known == 0 {
                answer.unknown.push(key.clone());
            }
        }
        tx.commit().await?;
        Ok(answer)
    }
}
