//! Running commands: each printed before it runs, a failure reported with the command line.

use std::env;
use std::process::Command;

use crate::Result;

/// The cargo that runs this task (so nested builds use the same toolchain).
pub fn cargo() -> String {
    env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Prints and runs `command`, failing when it cannot start or exits unsuccessfully.
pub fn run(command: &mut Command) -> Result {
    let shown = show(command);
    println!("$ {shown}");
    let status = command.status().map_err(|e| format!("cannot run `{shown}`: {e}"))?;
    match status.success() {
        true => Ok(()),
        false => Err(format!("`{shown}` failed ({status})")),
    }
}

/// Runs `command` quietly and returns its standard output.
pub fn stdout(command: &mut Command) -> Result<String> {
    let shown = show(command);
    let out = command.output().map_err(|e| format!("cannot run `{shown}`: {e}"))?;
    match out.status.success() {
        true => Ok(String::from_utf8_lossy(&out.stdout).into_owned()),
        false => Err(format!("`{shown}` failed ({}): {}", out.status, String::from_utf8_lossy(&out.stderr).trim())),
    }
}

/// `command` as a shell line (arguments unquoted), for messages.
fn show(command: &Command) -> String {
    let mut shown = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        shown.push(' ');
        shown.push_str(&arg.to_string_lossy());
    }
    shown
}
