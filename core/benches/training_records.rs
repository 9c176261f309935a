//! `cargo bench -p laureate-core --bench training_records`: the training-record CSV (spec.md
//! §12) natively, request text to answer text (`call`), on 100,000 records: `export` writes
//! them as CSV, `import` reads that CSV back (with a contacts map of 1,000 contacts, so every
//! Name cell is looked up by name). Throughput is records per second.
//!
//! A record has every member; one title in four holds a comma and quotes, one note in eight a
//! line break, as exports from an LMS do. `LAUREATE_BENCH_RECORDS` changes the count.
#![allow(
    clippy::panic,
    clippy::indexing_slicing,
    clippy::unwrap_used,
    reason = "a benchmark stops at the first broken setup"
)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use laureate_core::call;
use serde_json::{json, Value};

const CONTACTS: usize = 1_000;

fn records(count: usize) -> Value {
    let records: Vec<Value> = (0..count)
        .map(|i| {
            let title =
                if i % 4 == 0 { format!("First aid, \"level {}\"", i % 3) } else { format!("Course {}", i % 97) };
            let note = if i % 8 == 0 { "assessor: M. Clarke\nre-sat".to_owned() } else { String::new() };
            json!({
                "recordId": format!("TR-{i:07}"), "contact": format!("c-{:05}", i % CONTACTS),
                "recordType": if i % 2 == 0 { "course" } else { "assessment" }, "objectId": format!("obj-{}", i % 211),
                "title": title, "provider": "Pennine Assessors Ltd",
                "completionDate": format!("20{:02}-{:02}-{:02}", 10 + i % 17, 1 + i % 12, 1 + i % 28),
                "qualificationCode": format!("Q{}", i % 53), "otherInformation": note,
            })
        })
        .collect();
    json!(records)
}

fn contacts() -> Value {
    (0..CONTACTS)
        .map(|i| {
            let id = format!("c-{i:05}");
            let contact = json!({"name": format!("Learner {i}"), "email": format!("{id}@example.org"), "firstName": "Learner", "lastName": i.to_string()});
            (id, contact)
        })
        .collect::<serde_json::Map<_, _>>()
        .into()
}

fn training_records(c: &mut Criterion) {
    let count: usize = std::env::var("LAUREATE_BENCH_RECORDS").ok().and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let contacts = contacts();
    let export = serde_json::to_vec(&json!({"trainingRecords": records(count), "contacts": contacts})).unwrap();
    let answer: Value = serde_json::from_slice(&call("exportTrainingRecords", &export)).unwrap();
    let csv = answer["ok"]["csv"].as_str().unwrap_or_else(|| panic!("export refused: {answer}"));
    let import = serde_json::to_vec(&json!({"csv": csv, "contacts": contacts})).unwrap();
    let answer: Value = serde_json::from_slice(&call("importTrainingRecords", &import)).unwrap();
    assert_eq!(answer["ok"]["records"].as_array().map(Vec::len), Some(count), "{}", answer["ok"]["rows"]);
    eprintln!("export request {} bytes, CSV {} bytes, import request {} bytes", export.len(), csv.len(), import.len());

    let mut group = c.benchmark_group(format!("training-records/{count}"));
    group.sample_size(10).measurement_time(Duration::from_secs(20)).throughput(Throughput::Elements(count as u64));
    group.bench_function("export", |b| b.iter(|| call("exportTrainingRecords", black_box(&export))));
    group.bench_function("import", |b| b.iter(|| call("importTrainingRecords", black_box(&import))));
    group.finish();
}

criterion_group!(benches, training_records);
criterion_main!(benches);
