//! Bearer tokens after their creation: authentication (expiry and revocation checked), revocation,
//! and the list `laureate token list` prints. Times are [`now`]'s text, compared as text.

use super::{check_org, now, sha256_hex, sql, Ledger, LedgerError, Principal, Role};

/// What a presented token is.
#[derive(Clone, Debug)]
pub enum Authentication {
    /// A token the ledger accepts, and whom it acts for.
    Accepted(Principal),
    /// No stored token has its hash.
    Unknown,
    /// The token `id` expired.
    Expired(String),
    /// The token `id` was revoked.
    Revoked(String),
}

/// A token as `laureate token list` shows it: never the token or its hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenInfo {
    pub id: String,
    pub role: String,
    pub created_at: String,
    /// When it stops being accepted (`None`: never).
    pub expires_at: Option<String>,
    /// When it was revoked (`None`: it is not).
    pub revoked_at: Option<String>,
}

type TokenRow = (String, String, String, Option<String>, Option<String>);

impl Ledger {
    /// What the presented `token` is: accepted (its principal), unknown, expired or revoked.
    pub async fn authenticate(&self, token: &str) -> Result<Authentication, LedgerError> {
        let row: Option<TokenRow> = sqlx::query_as(sql::TOKEN_BY_HASH)
            .bind(sha256_hex(token.as_bytes()))
            .fetch_optional(&self.store.pool.pool)
            .await?;
        Ok(row.map_or(Authentication::Unknown, |row| judge(row, &now())))
    }

    /// Revokes the token `id` from now on (a token revoked already keeps its first time);
    /// `false` when no token has that id.
    pub async fn revoke_token(&self, id: &str) -> Result<bool, LedgerError> {
        let revoked = sqlx::query(sql::REVOKE_TOKEN).bind(id).bind(now()).execute(&self.store.pool.pool).await?;
        Ok(revoked.rows_affected() > 0)
    }

    /// The tokens of `org`, oldest first; `None` when there is no such organisation.
    pub async fn tokens(&self, org: &str) -> Result<Option<Vec<TokenInfo>>, LedgerError> {
        check_org(org)?;
        let pool = &self.store.pool.pool;
        let orgs: i64 = sqlx::query_scalar(sql::ORG_EXISTS).bind(org).fetch_one(pool).await?;
        if orgs == 0 {
            return Ok(None);
        }
        let rows: Vec<TokenRow> = sqlx::query_as(sql::TOKENS_OF_ORG).bind(org).fetch_all(pool).await?;
        let tokens = rows
            .into_iter()
            .map(|(id, role, created_at, expires_at, revoked_at)| TokenInfo {
                id,
                role,
                created_at,
                expires_at,
                revoked_at,
            })
            .collect();
        Ok(Some(tokens))
    }
}

/// A stored token (id, org, role, expires_at, revoked_at) judged at `now`: revoked, else
/// expired from its `expires_at` on, else accepted.
fn judge((token_id, org, role, expires_at, revoked_at): TokenRow, now: &str) -> Authentication {
    if revoked_at.is_some() {
        return Authentication::Revoked(token_id);
    }
    if expires_at.is_some_and(|at| at.as_str() <= now) {
        return Authentication::Expired(token_id);
    }
    match Role::parse(&role) {
        Some(role) => Authentication::Accepted(Principal { org, role, token_id }),
        None => Authentication::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(expires_at: Option<&str>, revoked_at: Option<&str>) -> TokenRow {
        ("tok-1".into(), "acme".into(), "read".into(), expires_at.map(Into::into), revoked_at.map(Into::into))
    }

    #[test]
    fn tokens_are_revoked_then_expired_then_accepted() {
        let now = "2026-03-10T12:00:00.000Z";
        assert!(matches!(judge(row(None, None), now), Authentication::Accepted(p) if p.role == Role::Read));
        assert!(matches!(judge(row(Some("2026-03-10T12:00:00.001Z"), None), now), Authentication::Accepted(_)));
        assert!(matches!(judge(row(Some(now), None), now), Authentication::Expired(id) if id == "tok-1"));
        assert!(matches!(judge(row(Some("2026-03-09T00:00:00.000Z"), None), now), Authentication::Expired(_)));
        let revoked = row(Some("2026-03-09T00:00:00.000Z"), Some("2026-03-01T00:00:00.000Z"));
        assert!(matches!(judge(revoked, now), Authentication::Revoked(_)));
        assert!(matches!(judge(row(None, Some(now)), now), Authentication::Revoked(_)));
    }
}
