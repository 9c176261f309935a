//! A throwaway PostgreSQL cluster (Debian's `postgresql` package, TOOLCHAIN.md): `initdb` into a
//! temporary folder (as the `postgres` user when this runs as root, which `initdb` refuses),
//! started on a free loopback port, stopped and removed when dropped, also when a step fails.

use std::fs;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;

use crate::command::{run, stdout};
use crate::Result;

/// Where Debian installs PostgreSQL's programs, one folder per major version.
const VERSIONS: &str = "/usr/lib/postgresql";

/// A running cluster; `url` reaches its `postgres` database as the superuser `laureate`.
pub struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    as_postgres: bool,
    pub url: String,
}

/// The `bin` folder of the newest installed PostgreSQL with `initdb`, if any.
pub fn installed() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir(VERSIONS)
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

impl Cluster {
    /// Creates and starts a cluster.
    pub fn start() -> Result<Cluster> {
        let bin = installed().ok_or(format!("no PostgreSQL in {VERSIONS}: run `cargo xtask setup`"))?;
        let as_postgres = stdout(Command::new("id").arg("-u")).is_ok_and(|uid| uid.trim() == "0");
        let port = free_port()?;
        let dir = std::env::temp_dir().join(format!("laureate-postgres-{}-{port}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let cluster = Cluster { bin, dir, as_postgres, url: format!("postgres://laureate@127.0.0.1:{port}/postgres") };
        if as_postgres {
            run(Command::new("chown").args(["postgres"]).arg(&cluster.dir))?;
        }
        let data = cluster.dir.join("data");
        run(cluster.command("initdb").arg("-D").arg(&data).args(["-A", "trust", "-U", "laureate", "--no-sync"]))?;
        let options = format!("-p {port} -k {} -c listen_addresses=127.0.0.1", cluster.dir.display());
        run(cluster
            .command("pg_ctl")
            .arg("-D")
            .arg(&data)
            .args(["-o", &options, "-l"])
            .arg(cluster.dir.join("log"))
            .args(["-w", "start"]))?;
        println!("postgres: a cluster at {} ({})", cluster.url, cluster.dir.display());
        Ok(cluster)
    }

    fn command(&self, program: &str) -> Command {
        let program = self.bin.join(program);
        if self.as_postgres {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(program);
            command
        } else {
            Command::new(program)
        }
    }

    /// The cluster's server log.
    pub fn log(&self) -> PathBuf {
        self.dir.join("log")
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        let _ = run(self.command("pg_ctl").arg("-D").arg(&data).args(["-m", "fast", "-w", "stop"]));
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// A loopback port nobody listens on now.
fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot find a free port: {e}"))?;
    listener.local_addr().map(|addr| addr.port()).map_err(|e| format!("cannot find a free port: {e}"))
}
