//! Token lifetimes: `laureate token create --expires-in`, `token revoke`, `token list`, and the
//! 401 of an expired or revoked token.

use std::process::Output;

use reqwest::Method;

use super::{error_of, ledger, ledger_rw, Server, RULEBOOK};

const RULEBOOK_PATH: &str = "/v1/orgs/acme/rulebook";

/// The id the ledger gives `token` (`tok-` and the first 16 hex digits of its SHA-256).
pub fn token_id(token: &str) -> String {
    format!("tok-{}", &laureate_host::serve::ledger::sha256_hex(token.as_bytes())[..16])
}

/// Runs `laureate token ARGS` against `database`.
pub fn token_command(command: &str, database: &str, args: &[&str]) -> Output {
    super::laureate().args(["token", command, "--database", database]).args(args).output().expect("run laureate token")
}

/// Revokes `token` with `laureate token revoke`.
pub fn revoke(database: &str, token: &str) {
    let output = token_command("revoke", database, &["--id", &token_id(token)]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.stdout.is_empty(), "revoke prints nothing");
}

/// Makes `token` expired, as if its `--expires-in` had passed.
pub async fn expire(database: &str, token: &str) {
    let db = ledger_rw(database).await;
    let updated = sqlx::query("UPDATE tokens SET expires_at = $1 WHERE id = $2")
        .bind("2026-01-01T00:00:00.000Z")
        .bind(token_id(token))
        .execute(&db)
        .await
        .expect("expire the token");
    assert_eq!(updated.rows_affected(), 1);
    db.close().await;
}

/// `laureate token list`'s lines, split at the tabs.
fn list(database: &str, org: &str) -> Vec<Vec<String>> {
    let output = token_command("list", database, &["--org", org]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    stdout.lines().map(|line| line.split('\t').map(str::to_owned).collect()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn expired_and_revoked_tokens_are_refused_like_unknown_ones() {
    let server = Server::start("token-lifetimes");
    let lasting = server.token("acme", "read");
    let output =
        token_command("create", &server.database, &["--org", "acme", "--role", "decide", "--expires-in", "30"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let expiring = String::from_utf8(output.stdout).unwrap().trim().to_owned();
    let revoked = server.token("acme", "admin");
    let put = format!(r#"{{"rulebook": {RULEBOOK}}}"#);
    let (status, _) = server.send(Method::PUT, RULEBOOK_PATH, Some(&revoked), Some(&put), &[]).await;
    assert_eq!(status, 200);
    for token in [&lasting, &expiring, &revoked] {
        let (status, _) = server.send(Method::GET, RULEBOOK_PATH, Some(token), None, &[]).await;
        assert_eq!(status, 200);
    }
    let (_, unknown) = server.send(Method::GET, RULEBOOK_PATH, Some("lrt_unknown"), None, &[]).await;
    assert_eq!(error_of(&unknown).0, "unauthorized");

    // Revoked: 401, the same answer as an unknown token.
    revoke(&server.database, &revoked);
    let response = server.client.get(server.url(RULEBOOK_PATH)).bearer_auth(&revoked).send().await.unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    assert_eq!(response.bytes().await.unwrap(), unknown);

    // Expired: 401 likewise; the others still work.
    expire(&server.database, &expiring).await;
    let (status, body) = server.send(Method::GET, RULEBOOK_PATH, Some(&expiring), None, &[]).await;
    assert_eq!((status, &body), (401, &unknown));
    let (status, _) = server.send(Method::GET, RULEBOOK_PATH, Some(&lasting), None, &[]).await;
    assert_eq!(status, 200);

    // Revoking again changes nothing: the first time is kept.
    let db = ledger(&server.database).await;
    let revoked_at = |db: sqlx::AnyPool, id: String| async move {
        let at: Option<String> =
            sqlx::query_scalar("SELECT revoked_at FROM tokens WHERE id = $1").bind(id).fetch_one(&db).await.unwrap();
        at
    };
    let first = revoked_at(db.clone(), token_id(&revoked)).await;
    assert!(first.is_some());
    revoke(&server.database, &revoked);
    assert_eq!(revoked_at(db.clone(), token_id(&revoked)).await, first);
    db.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn token_list_shows_lifetimes_and_never_a_secret() {
    let server = Server::start("token-list");
    let read = server.token("acme", "read");
    let output = token_command("create", &server.database, &["--org", "acme", "--role", "admin", "--expires-in", "7"]);
    assert!(output.status.success());
    let admin = String::from_utf8(output.stdout).unwrap().trim().to_owned();
    let other = server.token("globex", "admin");
    revoke(&server.database, &read);

    let lines = list(&server.database, "acme");
    assert_eq!(lines.len(), 2, "{lines:?}");
    let now = laureate_host::serve::ledger::now();
    for (line, token, role) in [(&lines[0], &read, "read"), (&lines[1], &admin, "admin")] {
        assert_eq!(line.len(), 5, "id, role, created, expires, revoked: {line:?}");
        assert_eq!((line[0].as_str(), line[1].as_str()), (token_id(token).as_str(), role));
        assert!(line[2].len() == 24 && line[2] <= now, "{line:?}");
    }
    assert_eq!(lines[0][3], "-");
    assert!(lines[0][4].len() == 24 && lines[0][4] <= now, "{:?}", lines[0]);
    let week = laureate_host::serve::ledger::days_from_now(7);
    assert!(lines[1][3] > laureate_host::serve::ledger::days_from_now(6) && lines[1][3] <= week, "{:?}", lines[1]);
    assert_eq!(lines[1][4], "-");
    let text = format!("{lines:?}");
    for secret in [&read, &admin, &other] {
        let hash = laureate_host::serve::ledger::sha256_hex(secret.as_bytes());
        assert!(!text.contains(secret.as_str()) && !text.contains(&hash[20..]), "{text}");
    }
    assert!(!text.contains(&token_id(&other)), "only the organisation's tokens");
}

#[tokio::test(flavor = "multi_thread")]
async fn token_commands_refuse_what_they_cannot_do() {
    let server = Server::start("token-usage");
    server.token("acme", "read");
    let refused = |output: Output, message: &str| {
        assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
        assert!(output.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(stderr.contains(message), "{stderr}");
    };
    let database = server.database.as_str();
    refused(
        token_command("revoke", database, &["--id", "tok-0000000000000000"]),
        "no token has the id `tok-0000000000000000`",
    );
    refused(token_command("list", database, &["--org", "nobody"]), "no organisation has the id `nobody`");
    refused(token_command("list", database, &["--org", "../x"]), "invalid organisation id");
    for (days, message) in [("0", "--expires-in"), ("36501", "--expires-in"), ("soon", "--expires-in"), ("-1", "'-1'")]
    {
        let args = ["--org", "acme", "--role", "read", "--expires-in", days];
        refused(token_command("create", database, &args), message);
    }
    assert_eq!(list(database, "acme").len(), 1, "nothing was created");
}
