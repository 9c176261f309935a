//! The reads: one record, the records filtered and paged, the audit log paged, a contact's
//! holdings; each list walked to its end.

use laureate_host::serve::ledger::today;
use reqwest::Method;
use serde_json::{json, Value};

use super::{error_of, json, Server, RULEBOOK};

/// A server whose organisation `acme` has the rulebook and a decision's records, with a token
/// of every role and one of another organisation.
pub struct Org {
    pub server: Server,
    pub read: String,
    pub decide: String,
    pub correct: String,
    /// An `admin` token of `globex`.
    pub other: String,
}

impl Org {
    /// A GET with `token`: (status, body).
    pub async fn get(&self, path: &str, token: &str) -> (u16, Vec<u8>) {
        self.server.send(Method::GET, path, Some(token), None, &[]).await
    }

    /// A GET that must answer 200: its JSON.
    pub async fn get_ok(&self, path: &str) -> Value {
        let (status, body) = self.get(path, &self.read).await;
        assert_eq!(status, 200, "GET {path}: {}", String::from_utf8_lossy(&body));
        json(&body)
    }
}

/// A learner of `ev-a` (contact `C-<id>`) who completed the course on `on`.
pub fn learner_on(id: &str, on: &str) -> String {
    format!(
        r#"{{"id": "L-{id}", "contact": "C-{id}", "event": "ev-a", "online": {{"progress": 100, "completedOn": "{on}"}}}}"#
    )
}

/// `acme` with a rulebook and one decision (as of 2026-03-31) on `learners`, each `(id,
/// completedOn)`: records `R-1`… in completion order.
pub async fn org(name: &str, learners: &[(&str, &str)]) -> Org {
    let server = Server::start(name);
    let admin = server.token("acme", "admin");
    let put = format!(r#"{{"rulebook": {RULEBOOK}}}"#);
    let (status, _) = server.send(Method::PUT, "/v1/orgs/acme/rulebook", Some(&admin), Some(&put), &[]).await;
    assert_eq!(status, 200);
    let (read, decide, correct) =
        (server.token("acme", "read"), server.token("acme", "decide"), server.token("acme", "correct"));
    let other = server.token("globex", "admin");
    let learners: Vec<String> = learners.iter().map(|(id, on)| learner_on(id, on)).collect();
    let body = format!(r#"{{"asOf": "2026-03-31", "evidence": {{"learners": [{}]}}}}"#, learners.join(","));
    let (status, answer) = server.post("/v1/orgs/acme/decisions", Some(&decide), &body).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&answer));
    Org { server, read, decide, correct, other }
}

/// Walks a list from its first page, `limit` items a page: every item of `member`, and the
/// number of pages.
pub async fn walk(org: &Org, path: &str, member: &str, limit: usize) -> (Vec<Value>, usize) {
    let separator = if path.contains('?') { '&' } else { '?' };
    let (mut items, mut pages, mut cursor) = (Vec::new(), 0, None::<String>);
    loop {
        let mut url = format!("{path}{separator}limit={limit}");
        if let Some(cursor) = &cursor {
            url.push_str(&format!("&cursor={cursor}"));
        }
        let page = org.get_ok(&url).await;
        let got = page[member].as_array().unwrap_or_else(|| panic!("{url}: {page}")).clone();
        assert!(got.len() <= limit, "{url}: {page}");
        pages += 1;
        items.extend(got);
        match page["next"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => {
                assert!(page["next"].is_null(), "{page}");
                return (items, pages);
            }
        }
    }
}

fn ids(records: &[Value]) -> Vec<&str> {
    records.iter().map(|record| record["id"].as_str().unwrap_or_default()).collect()
}

const FIVE: [(&str, &str); 5] =
    [("1", "2026-03-01"), ("2", "2026-03-02"), ("3", "2026-03-03"), ("4", "2026-03-04"), ("5", "2026-03-05")];

#[tokio::test(flavor = "multi_thread")]
async fn a_record_is_read_by_id_as_the_engine_reads_it() {
    let org = org("read-record", &FIVE).await;
    let record = org.get_ok("/v1/orgs/acme/records/R-3").await;
    let expected = json!({"id": "R-3", "achievement": "cpr", "contact": "C-3", "learner": "L-3", "event": "ev-a",
        "path": null, "awardedOn": "2026-03-03", "validFrom": "2026-03-03", "expiresOn": null, "identifier": "CPR-3",
        "revoked": null, "decision": "D-1"});
    assert_eq!(record, expected);

    // Unknown, another organisation's view, no token.
    let (status, body) = org.get("/v1/orgs/acme/records/R-99", &org.read).await;
    assert_eq!((status, error_of(&body).0.as_str()), (404, "not-found"));
    for path in ["/v1/orgs/acme/records/R-3", "/v1/orgs/acme/records", "/v1/orgs/acme/audit"] {
        let (status, _) = org.get(path, &org.other).await;
        assert_eq!(status, 404, "{path}");
        let (status, _) = org.server.send(Method::GET, path, None, None, &[]).await;
        assert_eq!(status, 401, "{path}");
    }
    // globex's own lists are empty: nothing of acme's shows.
    let (status, body) = org.get("/v1/orgs/globex/records", &org.other).await;
    assert_eq!((status, json(&body)), (200, json!({"records": [], "next": null})));
    let (status, _) = org.get("/v1/orgs/globex/records/R-3", &org.other).await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn records_are_filtered_and_paged_in_number_order() {
    let org = org("list-records", &FIVE).await;
    let all = org.get_ok("/v1/orgs/acme/records").await;
    assert_eq!(ids(all["records"].as_array().unwrap()), ["R-1", "R-2", "R-3", "R-4", "R-5"]);
    assert!(all["next"].is_null());
    assert_eq!(all["records"][0]["decision"], "D-1");

    for (limit, pages) in [(1, 5), (2, 3), (5, 1), (6, 1)] {
        let (records, walked) = walk(&org, "/v1/orgs/acme/records", "records", limit).await;
        assert_eq!(ids(&records), ["R-1", "R-2", "R-3", "R-4", "R-5"], "limit {limit}");
        assert_eq!(walked, pages, "limit {limit}");
    }

    // Seed 002: which learners earned this credential during a specific period? Both dates
    // are inclusive.
    let period = "/v1/orgs/acme/records?achievement=cpr&awardedFrom=2026-03-02&awardedTo=2026-03-04";
    for limit in [1, 2] {
        let (records, _) = walk(&org, period, "records", limit).await;
        assert_eq!(ids(&records), ["R-2", "R-3", "R-4"], "limit {limit}");
        let learners: Vec<&str> = records.iter().map(|r| r["learner"].as_str().unwrap()).collect();
        assert_eq!(learners, ["L-2", "L-3", "L-4"]);
    }
    let cases = [
        ("awardedFrom=2026-03-05", vec!["R-5"]),
        ("awardedTo=2026-03-01", vec!["R-1"]),
        ("awardedFrom=2026-03-04&awardedTo=2026-03-02", vec![]),
        ("contact=C-2", vec!["R-2"]),
        ("achievement=other", vec![]),
        ("achievement=cpr&contact=C-4&awardedFrom=2026-03-01", vec!["R-4"]),
    ];
    for (query, expected) in cases {
        let page = org.get_ok(&format!("/v1/orgs/acme/records?{query}")).await;
        assert_eq!(ids(page["records"].as_array().unwrap()), expected, "{query}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_query_is_refused_at_its_parameter() {
    let org = org("bad-query", &FIVE[..1]).await;
    let cases = [
        ("records?awardedFrom=2026-13-01", "?awardedFrom"),
        ("records?awardedFrom=01/03/2026", "?awardedFrom"),
        ("records?awardedTo=2026-02-30", "?awardedTo"),
        ("records?awardedTo=", "?awardedTo"),
        ("records?achievement=", "?achievement"),
        ("records?contact=C-1&contact=C-2", "?contact"),
        ("records?learner=L-1", "?learner"),
        ("records?limit=0", "?limit"),
        ("records?limit=1001", "?limit"),
        ("records?cursor=R-1", "?cursor"),
        ("audit?record=", "?record"),
        ("audit?action=issue", "?action"),
        ("audit?limit=x", "?limit"),
        ("audit?cursor=p-1", "?cursor"),
        ("contacts/C-1/holdings?asOf=2026-3-1", "?asOf"),
        ("contacts/C-1/holdings?as_of=2026-03-01", "?as_of"),
    ];
    for (path, at) in cases {
        let (status, body) = org.get(&format!("/v1/orgs/acme/{path}"), &org.read).await;
        assert_eq!((status, error_of(&body)), (400, ("invalid-query".to_owned(), at.to_owned())), "{path}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_audit_log_is_paged_in_number_order() {
    let org = org("audit", &FIVE[..3]).await;
    let expected = ["put-rulebook", "issue", "issue", "issue", "advance-sequence"];
    for limit in [1, 2, 100] {
        let (rows, pages) = walk(&org, "/v1/orgs/acme/audit", "audit", limit).await;
        let actions: Vec<&str> = rows.iter().map(|row| row["action"].as_str().unwrap()).collect();
        assert_eq!(actions, expected, "limit {limit}");
        let numbers: Vec<i64> = rows.iter().map(|row| row["number"].as_i64().unwrap()).collect();
        assert_eq!(numbers, [1, 2, 3, 4, 5]);
        assert_eq!(pages, 5_usize.div_ceil(limit));
    }

    let page = org.get_ok("/v1/orgs/acme/audit?record=R-2").await;
    let rows = page["audit"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{page}");
    let row = &rows[0];
    let members: Vec<&str> = row.as_object().unwrap().keys().map(String::as_str).collect();
    let mut expected = ["number", "at", "actor", "action", "record", "decision", "before", "after", "reason"];
    expected.sort_unstable();
    assert_eq!(members, expected);
    assert_eq!((row["number"].as_i64(), &row["action"], &row["decision"]), (Some(3), &json!("issue"), &json!("D-1")));
    assert!(row["before"].is_null() && row["reason"].is_null());
    // `after` is the record as a JSON value (it is stored as text).
    assert_eq!(row["after"]["id"], "R-2");
    assert_eq!(row["after"]["identifier"], "CPR-2");
    let sequence = &org.get_ok("/v1/orgs/acme/audit?cursor=p4").await["audit"][0];
    assert_eq!(sequence["after"], json!({"sequence": "seq-1", "next": 4}));
    assert!(sequence["record"].is_null());
    let none = org.get_ok("/v1/orgs/acme/audit?record=R-9").await;
    assert_eq!(none, json!({"audit": [], "next": null}));
}

#[tokio::test(flavor = "multi_thread")]
async fn holdings_are_the_engines_for_the_contacts_records() {
    let org = org("holdings", &FIVE[..2]).await;
    let holdings = org.get_ok("/v1/orgs/acme/contacts/C-1/holdings?asOf=2026-03-31").await;
    assert_eq!(holdings["contact"], "C-1");
    assert_eq!(holdings["asOf"], "2026-03-31");
    let record = org.get_ok("/v1/orgs/acme/records/R-1").await;
    let mut issued = record.clone();
    issued.as_object_mut().unwrap().remove("decision");
    let expected = json!([{"contact": "C-1", "achievement": "cpr", "status": "valid", "validUntil": null,
        "history": [issued]}]);
    assert_eq!(holdings["holdings"], expected);

    // Before the award: not yet valid. A contact without records holds nothing.
    let before = org.get_ok("/v1/orgs/acme/contacts/C-1/holdings?asOf=2026-02-01").await;
    assert_eq!(before["holdings"][0]["status"], "not-yet-valid");
    let nobody = org.get_ok("/v1/orgs/acme/contacts/C-404/holdings?asOf=2026-03-31").await;
    assert_eq!(nobody, json!({"contact": "C-404", "asOf": "2026-03-31", "holdings": [], "certificationHoldings": []}));

    // `asOf` defaults to the current UTC date.
    let before = today();
    let now = org.get_ok("/v1/orgs/acme/contacts/C-2/holdings").await;
    assert!(now["asOf"] == before.as_str() || now["asOf"] == today().as_str(), "{now}");
    assert_eq!(now["holdings"][0]["history"][0]["id"], "R-2");

    // Another organisation's, no token: 404, 401. An organisation without a rulebook: 409.
    let (status, _) = org.get("/v1/orgs/acme/contacts/C-1/holdings", &org.other).await;
    assert_eq!(status, 404);
    let (status, _) = org.server.send(Method::GET, "/v1/orgs/acme/contacts/C-1/holdings", None, None, &[]).await;
    assert_eq!(status, 401);
    let (status, body) = org.get("/v1/orgs/globex/contacts/C-1/holdings", &org.other).await;
    assert_eq!((status, error_of(&body).0.as_str()), (409, "no-rulebook"));
}
