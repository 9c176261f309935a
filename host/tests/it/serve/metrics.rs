//! `GET /metrics`: the counters move by exactly what was asked.

use std::collections::BTreeMap;

use reqwest::Method;

use super::{decision, Server, RULEBOOK};

/// The samples of a Prometheus text exposition: `name{labels}` → value.
pub fn samples(text: &str) -> BTreeMap<String, f64> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .map(|line| {
            let (name, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("a sample: {line:?}"));
            (name.to_owned(), value.parse().unwrap_or_else(|_| panic!("a number: {line:?}")))
        })
        .collect()
}

pub async fn scrape(server: &Server) -> BTreeMap<String, f64> {
    let response = server.client.get(server.url("/metrics")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(content_type.starts_with("text/plain; version=0.0.4"), "{content_type}");
    samples(&response.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_count_requests_latency_engine_fuel_decisions_and_awards() {
    let server = Server::start("metrics");
    let first = scrape(&server).await;
    assert_eq!(first["laureate_decisions_total"], 0.0);
    assert_eq!(first["laureate_awards_total"], 0.0);
    assert_eq!(first["laureate_decision_commits_total"], 0.0);

    let admin = server.token("acme", "admin");
    for _ in 0..3 {
        assert_eq!(server.send(Method::GET, "/healthz", None, None, &[]).await.0, 200);
    }
    let put = format!(r#"{{"rulebook": {RULEBOOK}}}"#);
    assert_eq!(server.send(Method::PUT, "/v1/orgs/acme/rulebook", Some(&admin), Some(&put), &[]).await.0, 200);
    let decisions = "/v1/orgs/acme/decisions";
    assert_eq!(server.post(decisions, Some(&admin), &decision(&["1", "2"])).await.0, 200);
    assert_eq!(server.post(decisions, Some(&admin), &decision(&["1", "2", "3"])).await.0, 200);
    let dry_run = format!("{decisions}?dryRun=true");
    assert_eq!(server.post(&dry_run, Some(&admin), &decision(&["4"])).await.0, 200);
    assert_eq!(server.post(decisions, None, &decision(&["5"])).await.0, 401);
    assert_eq!(server.post("/v1/nothing", None, "{}").await.0, 404);
    assert_eq!(server.send(Method::from_bytes(b"BREW").unwrap(), "/healthz", None, None, &[]).await.0, 405);

    let m = scrape(&server).await;
    let requests = |route: &str, method: &str, status: u16| {
        let key = format!("laureate_http_requests_total{{route=\"{route}\",method=\"{method}\",status=\"{status}\"}}");
        m.get(&key).copied().unwrap_or(0.0)
    };
    assert_eq!(requests("/metrics", "GET", 200), 1.0, "the first scrape, counted once answered");
    assert_eq!(requests("/healthz", "GET", 200), 3.0);
    assert_eq!(requests("/v1/orgs/{org}/rulebook", "PUT", 200), 1.0);
    assert_eq!(requests("/v1/orgs/{org}/decisions", "POST", 200), 3.0);
    assert_eq!(requests("/v1/orgs/{org}/decisions", "POST", 401), 1.0);
    assert_eq!(requests("unmatched", "POST", 404), 1.0);
    assert_eq!(requests("/healthz", "OTHER", 405), 1.0);
    // Decisions stored and their records: the dry run and the refused one are not counted.
    assert_eq!(m["laureate_decisions_total"], 2.0);
    assert_eq!(m["laureate_awards_total"], 3.0);
    // One after another, each decision is a commit of its own.
    assert_eq!(m["laureate_decision_commits_total"], 2.0);

    // Engine calls that answered, by operation, and the fuel they used: the rulebook's
    // validation, then two decisions and the dry run.
    assert_eq!(m["laureate_engine_calls_total{operation=\"validate\"}"], 1.0);
    assert_eq!(m["laureate_engine_calls_total{operation=\"evaluate\"}"], 3.0);
    let fuel = m["laureate_engine_fuel_total{operation=\"evaluate\"}"];
    assert!(fuel > 10_000.0, "three evaluations use fuel: {fuel}");
    assert!(m["laureate_engine_fuel_total{operation=\"validate\"}"] > 0.0);

    // The histogram of a route: cumulative buckets ending at the count.
    let histogram = "laureate_http_request_duration_seconds";
    let route = "route=\"/v1/orgs/{org}/decisions\"";
    assert_eq!(m[&format!("{histogram}_count{{{route}}}")], 4.0);
    assert_eq!(m[&format!("{histogram}_bucket{{{route},le=\"+Inf\"}}")], 4.0);
    assert!(m[&format!("{histogram}_sum{{{route}}}")] > 0.0);
    let buckets: Vec<f64> = m
        .iter()
        .filter(|(name, _)| name.starts_with(&format!("{histogram}_bucket{{{route},")))
        .map(|(_, value)| *value)
        .collect();
    assert_eq!(buckets.len(), 14);
    let mut bounds: Vec<(f64, f64)> = m
        .iter()
        .filter_map(|(name, value)| {
            let bound = name.strip_prefix(&format!("{histogram}_bucket{{{route},le=\""))?.strip_suffix("\"}")?;
            Some((bound.parse::<f64>().unwrap_or(f64::INFINITY), *value))
        })
        .collect();
    bounds.sort_by(|a, b| a.0.total_cmp(&b.0));
    assert!(bounds.windows(2).all(|w| w[0].1 <= w[1].1), "cumulative: {bounds:?}");
    assert_eq!(m[&format!("{histogram}_count{{route=\"/healthz\"}}")], 4.0, "three GETs and the 405");
}
