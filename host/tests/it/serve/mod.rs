//! `laureate serve`: a real server process on 127.0.0.1 (port 0) over a real database, driven by
//! a real HTTP client. The database is a new SQLite file in a temporary directory, or, when
//! `LAUREATE_TEST_POSTGRES` names a PostgreSQL cluster (`cargo xtask test` starts one and runs
//! this suite a second time against it), a new database in that cluster.

mod auth;
mod certifications;
mod concurrency;
mod corrections;
mod crash;
mod decisions;
mod group_commit;
mod hostile;
mod metrics;
mod notifications;
mod openapi;
mod reads;
mod shutdown;
mod stateless;
mod tokens;
mod verify;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::support::{artifact, temp_dir, workspace};

/// A server process, killed when dropped (unless it was stopped).
pub struct Server {
    child: Child,
    pub addr: String,
    /// The `--database` url.
    pub database: String,
    pub client: reqwest::Client,
    _dir: PathBuf,
}

fn laureate() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_laureate"));
    command.current_dir(workspace()).env("LAUREATE_WASM", artifact()).env("LAUREATE_LOG", "warn");
    command
}

impl Server {
    /// Starts a server over a new database in a fresh directory named `name`.
    pub fn start(name: &str) -> Server {
        Server::start_with(name, &[])
    }

    /// Starts a server with more `laureate serve` options.
    pub fn start_with(name: &str, options: &[&str]) -> Server {
        let dir = temp_dir(&format!("serve-{name}"));
        let database = new_database(name, &dir);
        Server::start_on(name, &database, options, dir)
    }

    /// Starts a server over `database` (which another server may be using).
    pub fn start_on(name: &str, database: &str, options: &[&str], dir: PathBuf) -> Server {
        let _ = name;
        let mut child = laureate()
            .args(["serve", "--database", database, "--listen", "127.0.0.1:0", "--workers", "2"])
            .args(options)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start laureate serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("read the address");
        let addr =
            line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("unexpected first line {line:?}"));
        Server {
            child,
            addr: addr.to_owned(),
            database: database.to_owned(),
            client: reqwest::Client::new(),
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// A new token of `role` for `org`, made by `laureate token create` while the server runs.
    pub fn token(&self, org: &str, role: &str) -> String {
        let output = laureate()
            .args(["token", "create", "--database", &self.database, "--org", org, "--role", role])
            .output()
            .expect("run laureate token create");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let stdout = String::from_utf8(output.stdout).expect("utf-8");
        assert_eq!(stdout.lines().count(), 1, "only the token is printed: {stdout:?}");
        stdout.trim().to_owned()
    }

    /// POSTs `body` as JSON: (status, body).
    pub async fn post(&self, path: &str, token: Option<&str>, body: &str) -> (u16, Vec<u8>) {
        self.send(reqwest::Method::POST, path, token, Some(body), &[]).await
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<&str>,
        headers: &[(&str, &str)],
    ) -> (u16, Vec<u8>) {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        if let Some(body) = body {
            request = request.header("content-type", "application/json").body(body.to_owned());
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("send the request");
        let status = response.status().as_u16();
        (status, response.bytes().await.expect("read the answer").to_vec())
    }

    /// Sends SIGTERM and waits: the exit status's code.
    pub fn terminate(mut self) -> Option<i32> {
        self.signal("TERM");
        self.wait()
    }

    /// Sends the signal `name` (`TERM`, `INT`) without waiting.
    pub fn signal(&self, name: &str) {
        let pid = self.child.id().to_string();
        let status = Command::new("kill").args([&format!("-{name}"), &pid]).status().expect("run kill");
        assert!(status.success(), "kill -{name} {pid}");
    }

    /// Waits for the process to exit: its exit status's code.
    pub fn wait(&mut self) -> Option<i32> {
        self.child.wait().expect("wait for the server").code()
    }

    /// Sends SIGKILL and waits for the process to be gone (no shutdown: a crash).
    pub fn kill(mut self) {
        self.child.kill().expect("kill the server");
        self.child.wait().expect("wait for the server");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends raw bytes over one connection (`head`, then `body` from a writer thread so the
/// answer is read as soon as it comes): the status of the answer.
pub fn raw_status(addr: &str, head: String, body: impl FnOnce(&mut TcpStream) + Send + 'static) -> u16 {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(60))).expect("timeout");
    stream.write_all(head.as_bytes()).expect("write the head");
    let mut writer = stream.try_clone().expect("clone the stream");
    let sender = std::thread::spawn(move || body(&mut writer));
    let mut answer = [0u8; 12];
    stream.read_exact(&mut answer).expect("read the status line");
    // Unblocks the writer if the server stopped reading without closing.
    let _ = stream.shutdown(std::net::Shutdown::Both);
    let _ = sender.join();
    String::from_utf8_lossy(&answer[9..12]).parse().expect("a status code")
}

/// The envelope's `error.code` and `error.path`.
pub fn error_of(body: &[u8]) -> (String, String) {
    let value: Value =
        serde_json::from_slice(body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(body)));
    let error = &value["error"];
    assert!(error["message"].is_string(), "{value}");
    (error["code"].as_str().unwrap_or_default().to_owned(), error["path"].as_str().unwrap_or_default().to_owned())
}

pub fn json(body: &[u8]) -> Value {
    serde_json::from_slice(body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(body)))
}

/// A rulebook with one self-paced course whose achievement is numbered from `seq-1`.
pub const RULEBOOK: &str = r#"{"achievements": [{"id": "cpr", "name": "CPR", "sequence": "seq-1"}],
 "sequences": [{"id": "seq-1", "name": "CPR numbers", "eventFormat": "{{course.code}}-{{sequence_number}}"}],
 "courseTemplates": [{"id": "ct-1", "code": "CPR", "title": "CPR", "delivery": "self-paced", "achievements": [{"achievement": "cpr"}]}],
 "events": [{"id": "ev-a", "template": "ct-1", "start": "2026-02-01", "end": "2026-02-28"}]}"#;

/// A learner who completed the course.
pub fn learner(id: &str) -> String {
    format!(
        r#"{{"id": "L-{id}", "contact": "C-{id}", "event": "ev-a", "online": {{"progress": 100, "completedOn": "2026-03-01"}}}}"#
    )
}

/// A decision body for these learners.
pub fn decision(learners: &[&str]) -> String {
    let learners: Vec<String> = learners.iter().map(|id| learner(id)).collect();
    format!(r#"{{"asOf": "2026-03-10", "evidence": {{"learners": [{}]}}}}"#, learners.join(","))
}

/// The PostgreSQL cluster the suite runs against (`postgres://…/postgres`), if any.
fn postgres_cluster() -> Option<String> {
    std::env::var("LAUREATE_TEST_POSTGRES").ok().filter(|url| !url.is_empty())
}

/// Whether the suite runs against PostgreSQL.
pub fn on_postgres() -> bool {
    postgres_cluster().is_some()
}

/// A new, empty database for the server `name`: `dir/ledger.db`, or a new database of the
/// PostgreSQL cluster.
pub fn new_database(name: &str, dir: &Path) -> String {
    let Some(cluster) = postgres_cluster() else {
        return format!("sqlite:{}", dir.join("ledger.db").display());
    };
    let suffix: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    let database = format!("it_{}_{suffix}", std::process::id());
    let create = format!("DROP DATABASE IF EXISTS {database}; CREATE DATABASE {database}");
    let url = cluster.clone();
    // The tests' runtimes are busy running them: a runtime of its own on a thread of its own.
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        runtime.block_on(async {
            use sqlx::Connection as _;
            let mut conn = sqlx::PgConnection::connect(&url).await.expect("connect to the test cluster");
            for statement in create.split("; ") {
                sqlx::raw_sql(sqlx::AssertSqlSafe(statement.to_owned()))
                    .execute(&mut conn)
                    .await
                    .expect("create the database");
            }
        });
    })
    .join()
    .expect("create a test database");
    match cluster.rsplit_once('/') {
        Some((server, _)) => format!("{server}/{database}"),
        None => panic!("LAUREATE_TEST_POSTGRES is not a postgres://…/DATABASE url: {cluster}"),
    }
}

/// Opens the server's ledger (SQLite read-only), next to the running server.
pub async fn ledger(database: &str) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    let url = match database.strip_prefix("sqlite:") {
        Some(path) => format!("sqlite://{path}?mode=ro"),
        None => database.to_owned(),
    };
    sqlx::any::AnyPoolOptions::new().max_connections(2).connect(&url).await.expect("open the ledger")
}

/// Opens the server's ledger for writing: a test's change behind the service's back (a token
/// made to expire, a record revoked).
pub async fn ledger_rw(database: &str) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    let url = match database.strip_prefix("sqlite:") {
        Some(path) => format!("sqlite://{path}"),
        None => database.to_owned(),
    };
    sqlx::any::AnyPoolOptions::new().max_connections(1).connect(&url).await.expect("open the ledger for writing")
}

/// The ledger's tables, by name.
pub async fn tables(db: &sqlx::AnyPool) -> Vec<String> {
    let sql = if on_postgres() {
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"
    } else {
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
    };
    sqlx::query_scalar(sql).fetch_all(db).await.expect("list the tables")
}
