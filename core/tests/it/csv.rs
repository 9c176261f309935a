//! Properties of the training-record CSV (spec.md §12, "Training-record CSV"): export then
//! import gives the records back, with and without contacts, and no text makes the import fail
//! but a limit.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use serde_json::{json, Value};

fn ok(operation: &str, request: &Value) -> Value {
    let answer = laureate_core::call(operation, request.to_string().as_bytes());
    let answer: Value = serde_json::from_slice(&answer).expect("answer is JSON");
    match answer.get("ok") {
        Some(ok) => ok.clone(),
        None => panic!("{operation} refused: {answer}\nrequest: {request}"),
    }
}

/// Text with everything CSV treats specially: delimiters, quotes, every line end, spaces at
/// either end, a byte order mark, NUL, tabs and multi-byte characters.
fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            4 => proptest::char::range('a', 'z'),
            1 => Just(','), 1 => Just('"'), 1 => Just('\n'), 1 => Just('\r'), 1 => Just(' '),
            1 => Just('\t'), 1 => Just('\0'), 1 => Just('\u{feff}'), 1 => Just('é'), 1 => Just('😀'),
            1 => Just(';'), 1 => Just('='),
        ],
        0..12,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

/// An optional member: absent, or text that is not empty (an empty cell reads as absent).
fn optional() -> impl Strategy<Value = Option<String>> {
    prop_oneof![Just(None), text().prop_filter("an empty cell is absent", |t| !t.is_empty()).prop_map(Some)]
}

/// Required text: not empty or blank (a blank required cell is `csv-empty-required`).
fn required() -> impl Strategy<Value = String> {
    text().prop_filter("a required cell is not blank", |t| !t.trim().is_empty())
}

fn date() -> impl Strategy<Value = String> {
    (1u32..=9999, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
}

#[derive(Debug, Clone)]
struct Record {
    id: String,
    contact: usize,
    members: [Option<String>; 6],
    date: String,
}

fn records() -> impl Strategy<Value = Vec<Record>> {
    proptest::collection::vec(
        (required(), 0usize..6, [optional(), optional(), optional(), optional(), optional(), optional()], date())
            .prop_map(|(id, contact, members, date)| Record { id, contact, members, date }),
        0..20,
    )
}

fn record_json(record: &Record, contact_ids: &[String]) -> Value {
    let [record_type, object_id, title, provider, code, other] = &record.members;
    json!({
        "recordId": record.id, "contact": contact_ids[record.contact], "recordType": record_type,
        "objectId": object_id, "title": title, "provider": provider, "completionDate": record.date,
        "qualificationCode": code, "otherInformation": other,
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    /// `importTrainingRecords` of `exportTrainingRecords`' CSV gives the exported records, in
    /// order, with no deletion and no row error: without contacts (Name is the contact id) and
    /// with contacts (Name is the contact's name; email, firstname and lastname are ignored).
    #[test]
    fn export_then_import_is_the_identity(
        records in records(),
        contact_ids in proptest::collection::vec(required(), 6),
        names in proptest::collection::vec(required(), 6),
        extra in proptest::collection::vec((optional(), optional(), optional()), 6),
        with_contacts in any::<bool>(),
    ) {
        let ids: BTreeSet<&String> = records.iter().map(|r| &r.id).collect();
        prop_assume!(ids.len() == records.len(), "record ids are unique");
        prop_assume!(contact_ids.iter().collect::<BTreeSet<_>>().len() == 6, "contact ids are unique");
        prop_assume!(names.iter().collect::<BTreeSet<_>>().len() == 6, "names are unique");
        let records: Vec<Value> = records.iter().map(|r| record_json(r, &contact_ids)).collect();
        let contacts: Option<BTreeMap<&String, Value>> = with_contacts.then(|| {
            contact_ids.iter().zip(&names).zip(&extra).map(|((id, name), (email, first, last))| {
                (id, json!({"name": name, "email": email, "firstName": first, "lastName": last}))
            }).collect()
        });
        let mut request = json!({"trainingRecords": records});
        if let Some(contacts) = &contacts {
            request["contacts"] = json!(contacts);
        }
        let csv = ok("exportTrainingRecords", &request)["csv"].clone();
        let mut import = json!({"csv": csv});
        if let Some(contacts) = &contacts {
            import["contacts"] = json!(contacts);
        }
        let imported = ok("importTrainingRecords", &import);
        prop_assert_eq!(&imported["rows"], &json!([]), "csv: {}", csv);
        prop_assert_eq!(&imported["deletions"], &json!([]));
        prop_assert_eq!(&imported["records"], &json!(records), "csv: {}", csv);
    }

    /// Any text is answered: records, deletions and row errors, never an error envelope (the
    /// text stays within the limits), and the row errors are in row order.
    #[test]
    fn any_text_is_imported(body in proptest::collection::vec(prop_oneof![
        Just(",".to_string()), Just("\"".to_string()), Just("\n".to_string()), Just("\r\n".to_string()),
        Just("TR-1".to_string()), Just("C1".to_string()), Just("2026-01-20".to_string()), Just("1".to_string()),
        Just("0".to_string()), Just("x".to_string()),
    ], 0..200)) {
        let csv = format!(
            "Record Id,Name,Record Type,Object Id,Title,Training Provider,Completion Date,Other Information,Qualification Code,Delete?\n{}",
            body.concat()
        );
        let answer = ok("importTrainingRecords", &json!({"csv": csv}));
        let rows: Vec<u64> = answer["rows"].as_array().expect("rows").iter().map(|r| r["row"].as_u64().expect("row")).collect();
        prop_assert!(rows.windows(2).all(|w| w[0] <= w[1]), "rows out of order: {:?}", rows);
        prop_assert!(rows.iter().all(|&r| r >= 2));
    }
}
