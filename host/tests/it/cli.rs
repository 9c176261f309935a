//! The `laureate` binary: exit codes 0/1/2, stdin `-`, engines, batch, table, demo.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::support::{artifact, canonical, temp_dir, workspace};

fn laureate() -> Command {
    // Fail here, with the instruction, when the artifact is missing (the CLI looks the same way).
    artifact();
    let mut command = Command::new(env!("CARGO_BIN_EXE_laureate"));
    command.current_dir(workspace());
    command
}

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut command = laureate();
    command.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().expect("start laureate");
    let mut pipe = child.stdin.take().unwrap();
    pipe.write_all(stdin.unwrap_or_default()).unwrap();
    drop(pipe);
    child.wait_with_output().unwrap()
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exited normally")
}

fn write_file(dir: &Path, name: &str, contents: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

const RULEBOOK: &str = r#"{"rulebook": {"achievements": [{"id": "bls", "name": "Basic Life Support"}]}}"#;

#[test]
fn ok_answer_exits_0_and_matches_native() {
    let dir = temp_dir("cli-ok");
    let file = write_file(&dir, "validate.json", RULEBOOK.as_bytes());
    let out = run(&["validate", file.to_str().unwrap()], None);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let mut native = laureate_core::call("validate", RULEBOOK.as_bytes());
    native.push(b'\n');
    assert_eq!(out.stdout, native);

    let out = run(&["validate", file.to_str().unwrap(), "--engine", "native"], None);
    assert_eq!(code(&out), 0);
    assert_eq!(out.stdout, native);
}

#[test]
fn error_answer_exits_1() {
    let dir = temp_dir("cli-error");
    let file = write_file(&dir, "broken.json", br#"{"asOf": "2026-02-30", "rulebook": {}, "evidence": {}}"#);
    let out = run(&["evaluate", file.to_str().unwrap()], None);
    assert_eq!(code(&out), 1);
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["error"]["code"], "invalid-input");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(code(&run(&["frobnicate", "x.json"], None)), 2);
    assert_eq!(code(&run(&["evaluate"], None)), 2);
    assert_eq!(code(&run(&["validate", "x.json", "--table"], None)), 2);
    assert_eq!(code(&run(&["validate", "--engine", "jvm", "x.json"], None)), 2);
    let out = run(&["validate", "/nonexistent/request.json"], None);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));
    let out = run(&["validate", "-", "--wasm", "/nonexistent/laureate_bg.wasm"], Some(RULEBOOK.as_bytes()));
    assert_eq!(code(&out), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cargo xtask build") && stderr.contains("artifact-not-found"), "{stderr}");
}

#[test]
fn stdin_dash_and_every_operation() {
    // The demo's evidence compared with itself with one learner fewer.
    let demo: serde_json::Value = serde_json::from_str(laureate_host::DEMO_REQUEST).unwrap();
    let mut after = demo["evidence"].clone();
    after["learners"].as_array_mut().unwrap().pop();
    let compare = serde_json::json!({"asOf": demo["asOf"], "rulebook": demo["rulebook"], "before": demo["evidence"], "after": after})
        .to_string();
    for (command, operation, request) in [
        ("validate", "validate", RULEBOOK),
        (
            "format-identifier",
            "formatIdentifier",
            r#"{"format": "CPR-{{sequence_number}}", "padding": 5, "number": 7, "fields": {}}"#,
        ),
        ("code-usage", "codeUsage", r#"{"rulebook": {"qualificationCodes": [{"code": "CPR"}]}}"#),
        (
            "rename-code",
            "renameCode",
            r#"{"rulebook": {"qualificationCodes": [{"code": "CPR"}]}, "from": "CPR", "to": "BLS"}"#,
        ),
        ("evaluate", "evaluate", laureate_host::DEMO_REQUEST),
        ("compare", "compare", &compare),
    ] {
        let out = run(&[command, "-"], Some(request.as_bytes()));
        let mut native = laureate_core::call(operation, request.as_bytes());
        native.push(b'\n');
        assert_eq!(out.stdout, native, "{command}");
        assert_eq!(code(&out), if native.starts_with(b"{\"ok\"") { 0 } else { 1 }, "{command}");
        assert_eq!(code(&out), 0, "{command}: {}", String::from_utf8_lossy(&out.stdout));
    }
}

#[test]
fn pretty_and_table() {
    let request = laureate_host::DEMO_REQUEST.as_bytes();
    let out = run(&["evaluate", "-", "--pretty"], Some(request));
    assert_eq!(code(&out), 0);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("{\n  \"ok\": {\n    \"engine\": {"), "{}", &text[..100]);
    assert_eq!(canonical(text.as_bytes()), canonical(&laureate_core::call("evaluate", request)));

    let out = run(&["evaluate", "-", "--table"], Some(request));
    assert_eq!(code(&out), 0);
    let table = String::from_utf8(out.stdout).unwrap();
    let header = table.lines().next().unwrap();
    for column in ["learner", "achievement", "status", "awarded", "expires", "identifier", "waiting on"] {
        assert!(header.contains(column), "{header}");
    }
    assert!(table.contains("CPR-2026-00005"), "{table}");
    // The accounts section: one line per row of the answer's `accounts` (the example's learners
    // carry accounts), after its count.
    let answer: serde_json::Value = serde_json::from_slice(&laureate_core::call("evaluate", request)).unwrap();
    let accounts = answer["ok"]["accounts"].as_array().unwrap();
    assert!(!accounts.is_empty(), "the example organisation's accounts hold records");
    let section = table.split_once(&format!("\nAccounts ({})\n", accounts.len())).map(|(_, s)| s);
    let section = section.unwrap_or_else(|| panic!("no accounts section:\n{table}"));
    for column in ["account", "achievement", "valid", "expiring", "expired", "revoked", "not yet valid"] {
        assert!(section.lines().next().unwrap().contains(column), "{section}");
    }
    for row in accounts {
        let (account, achievement) = (row["account"].as_str().unwrap(), row["achievement"].as_str().unwrap());
        assert!(
            section.lines().any(|l| l.split_whitespace().take(2).eq([account, achievement])),
            "no line for {account} {achievement}:\n{section}"
        );
    }
}

#[test]
fn batch_answers_in_order_and_survives_bad_lines() {
    let requests = [
        format!(r#"{{"operation": "validate", "request": {RULEBOOK}}}"#),
        "this is not json".to_owned(),
        String::new(), // blank: skipped
        r#"{"operation": "format-identifier", "request": {"format": "{{sequence_number}}", "padding": 3, "number": 4, "fields": {}}}"#.to_owned(),
        r#"{"operation": "validate"}"#.to_owned(),
        r#"{"operation": "validate", "request": {}, "extra": 1}"#.to_owned(),
        format!(r#"{{"operation": "evaluate", "request": {}}}"#, laureate_host::DEMO_REQUEST.replace('\n', "")),
    ];
    let input = requests.join("\n") + "\n";
    for engine in ["wasm", "native"] {
        let out = run(&["batch", "--engine", engine, "-j", "3"], Some(input.as_bytes()));
        assert_eq!(code(&out), 1, "a line answered with an error makes the batch exit 1");
        let text = String::from_utf8(out.stdout).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 6, "{text}");
        assert_eq!(lines[0].as_bytes(), laureate_core::call("validate", RULEBOOK.as_bytes()));
        assert!(lines[1].starts_with(r#"{"error":{"code":"invalid-json","message":"line 2: "#), "{}", lines[1]);
        assert_eq!(lines[2], r#"{"ok":{"identifier":"004","diagnostics":[]}}"#);
        assert_eq!(
            lines[3],
            r#"{"error":{"code":"invalid-input","message":"line 5: missing field `request` at column 25","path":"/request"}}"#
        );
        assert!(lines[4].contains(r#""path":"/extra""#), "{}", lines[4]);
        assert_eq!(
            lines[5].as_bytes(),
            laureate_core::call("evaluate", laureate_host::DEMO_REQUEST.replace('\n', "").as_bytes())
        );
    }

    // All good: exit 0; a file argument works like stdin.
    let dir = temp_dir("cli-batch");
    let good: String = (1..=40)
        .map(|n| format!(r#"{{"operation":"formatIdentifier","request":{{"format":"N{{{{sequence_number}}}}","padding":2,"number":{n},"fields":{{}}}}}}"#) + "\n")
        .collect();
    let file = write_file(&dir, "good.ndjson", good.as_bytes());
    let out = run(&["batch", file.to_str().unwrap()], None);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let identifiers: Vec<String> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["ok"]["identifier"].as_str().unwrap().to_owned())
        .collect();
    let expected: Vec<String> = (1..=40).map(|n| format!("N{n:02}")).collect();
    assert_eq!(identifiers, expected);
    assert!(out.stderr.is_empty(), "no progress bar when stderr is not a terminal");
}

#[test]
fn demo_report_and_json() {
    let out = run(&["demo"], None);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stdout));
    let report = String::from_utf8(out.stdout).unwrap();
    for needle in
        ["Outcomes", "CPR-2026-00005", "Actions", "Learning paths", "Certifications", "Accounts", "Diagnostics"]
    {
        assert!(report.contains(needle), "the report lacks `{needle}`:\n{report}");
    }
    let out = run(&["demo", "--json"], None);
    assert_eq!(code(&out), 0);
    let mut native = laureate_core::call("evaluate", laureate_host::DEMO_REQUEST.as_bytes());
    native.push(b'\n');
    assert_eq!(out.stdout, native);
    let out = run(&["demo", "--engine", "native"], None);
    assert_eq!(code(&out), 0);
}

/// The bundled example is a valid request whose answer has no error diagnostic.
#[test]
fn example_org_is_clean() {
    let answer = laureate_core::call("evaluate", laureate_host::DEMO_REQUEST.as_bytes());
    let value: serde_json::Value = serde_json::from_slice(&answer).unwrap();
    let result = value.get("ok").unwrap_or_else(|| panic!("{value}"));
    let errors: Vec<_> =
        result["diagnostics"].as_array().unwrap().iter().filter(|d| d["severity"] == "error").collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        std::fs::read_to_string(workspace().join("examples/org/request.json")).unwrap(),
        laureate_host::DEMO_REQUEST
    );
}

const TRAINING_CSV: &str = "\u{feff}Record Id,Name,Record Type,Object Id,Title,Training Provider,Completion Date,\
Other Information,Qualification Code,Delete?\r\nTR-1,Ada Lovelace,course,,\"CPR, adult\",,2026-01-20,,CPR,0\r\n\
TR-2,C2,,,,,,,,1\r\nTR-3,Grace,,,,,2026-01-20,,,0\r\n";

/// `import-training-records FILE.csv [--contacts FILE]` reads the CSV itself and prints the
/// `importTrainingRecords` envelope; `export-training-records FILE` prints the CSV text.
#[test]
fn training_record_csv_commands() {
    let dir = temp_dir("cli-csv");
    let csv = write_file(&dir, "records.csv", TRAINING_CSV.as_bytes());
    let contacts = r#"{"C1": {"name": "Ada Lovelace", "email": "ada@example.org"}}"#;
    let contacts_file = write_file(&dir, "contacts.json", contacts.as_bytes());
    let request = serde_json::json!({"csv": TRAINING_CSV, "contacts": serde_json::from_str::<serde_json::Value>(contacts).unwrap()});
    for engine in ["wasm", "native"] {
        let out = run(
            &[
                "import-training-records",
                csv.to_str().unwrap(),
                "--contacts",
                contacts_file.to_str().unwrap(),
                "--engine",
                engine,
            ],
            None,
        );
        assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
        let mut native = laureate_core::call("importTrainingRecords", request.to_string().as_bytes());
        native.push(b'\n');
        assert_eq!(out.stdout, native, "{engine}");
    }
    let answer: serde_json::Value =
        serde_json::from_slice(&run(&["import-training-records", "-"], Some(TRAINING_CSV.as_bytes())).stdout).unwrap();
    // Without contacts, Name is the contact id as written.
    assert_eq!(answer["ok"]["records"][0]["contact"], "Ada Lovelace");
    assert_eq!(answer["ok"]["deletions"], serde_json::json!(["TR-2"]));

    // A file that is not UTF-8 (a spreadsheet's legacy encoding) or contacts that are not JSON:
    // usage errors.
    let latin1 = write_file(&dir, "latin1.csv", b"Record Id,Name\nTR-1,Ren\xe9\n");
    let out = run(&["import-training-records", latin1.to_str().unwrap()], None);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("not UTF-8"));
    let out = run(&["import-training-records", csv.to_str().unwrap(), "--contacts", csv.to_str().unwrap()], None);
    assert_eq!(code(&out), 2);

    // Export prints the CSV text itself, byte for byte the core's `csv`.
    let export = r#"{"trainingRecords": [{"recordId": "TR-1", "contact": "C1", "title": "CPR, adult", "completionDate": "2026-01-20"}],
                     "contacts": {"C1": {"name": "Ada Lovelace", "email": "ada@example.org"}}}"#;
    let out = run(&["export-training-records", "-"], Some(export.as_bytes()));
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let answer: serde_json::Value =
        serde_json::from_slice(&laureate_core::call("exportTrainingRecords", export.as_bytes())).unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), answer["ok"]["csv"].as_str().unwrap());

    // A refused export request prints the error envelope and exits 1.
    let out = run(&["export-training-records", "-"], Some(br#"{"trainingRecords": [{"recordId": "TR-1"}]}"#));
    assert_eq!(code(&out), 1);
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["error"]["path"], "/trainingRecords/0/contact");
}

/// `examples/org/training-records.csv` is the export of the example organisation's training
/// records (`examples/org/training-records.json`, the request's own), and importing it gives
/// them back (an empty member reads back as absent).
#[test]
fn example_org_training_records_csv() {
    let request: serde_json::Value = serde_json::from_str(laureate_host::DEMO_REQUEST).unwrap();
    let records = request["evidence"]["trainingRecords"].clone();
    assert!(records.as_array().is_some_and(|r| !r.is_empty()));
    let export = workspace().join("examples/org/training-records.json");
    let export_request: serde_json::Value = serde_json::from_slice(&std::fs::read(&export).unwrap()).unwrap();
    assert_eq!(export_request, serde_json::json!({"trainingRecords": records}));
    let path = workspace().join("examples/org/training-records.csv");
    let committed = std::fs::read_to_string(&path).unwrap();

    let out = run(&["export-training-records", export.to_str().unwrap()], None);
    assert_eq!(code(&out), 0);
    assert_eq!(String::from_utf8(out.stdout).unwrap(), committed, "regenerate {}", path.display());

    let out = run(&["import-training-records", path.to_str().unwrap()], None);
    assert_eq!(code(&out), 0);
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["ok"]["rows"], serde_json::json!([]));
    assert_eq!(answer["ok"]["deletions"], serde_json::json!([]));
    let members = ["recordType", "objectId", "title", "provider", "qualificationCode", "otherInformation"];
    let expected: Vec<serde_json::Value> = records
        .as_array()
        .unwrap()
        .iter()
        .map(|record| {
            let mut record = record.clone();
            for member in members {
                if record.get(member).is_none_or(|v| v == "") {
                    record[member] = serde_json::Value::Null;
                }
            }
            record
        })
        .collect();
    assert_eq!(answer["ok"]["records"], serde_json::json!(expected));
}
