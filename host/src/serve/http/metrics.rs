//! `GET /metrics`: Prometheus text (version 0.0.4) of the requests answered, their latency per
//! route, the engine's calls and the wasm fuel they used, and the decisions, awards and
//! decision commits stored. Hand-written: counters are atomics, the labelled
//! families maps behind a mutex held for one increment.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

/// The histogram's upper bounds, in seconds.
const BUCKETS: [f64; 13] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

#[derive(Debug, Default)]
struct Histogram {
    /// Observations at most each bound (not cumulative; summed when rendered).
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// The service's counters.
#[derive(Debug, Default)]
pub struct Metrics {
    /// (route, method, status) → requests answered.
    requests: Mutex<BTreeMap<(&'static str, &'static str, u16), u64>>,
    /// route → latency.
    durations: Mutex<BTreeMap<&'static str, Histogram>>,
    /// operation → (engine calls answered, wasm fuel they used).
    engine: Mutex<BTreeMap<&'static str, (u64, u64)>>,
    /// Decisions stored (dry runs and idempotent replays are not).
    pub decisions: AtomicU64,
    /// Records stored by decisions.
    pub awards: AtomicU64,
    /// Transactions that stored decisions (a group commit stores several).
    pub decision_commits: AtomicU64,
}

/// The label of a method: the standard ones by name, any other `OTHER` (a client cannot grow
/// the families with made-up methods).
pub fn method_label(method: &axum::http::Method) -> &'static str {
    const KNOWN: [&str; 9] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE"];
    KNOWN.into_iter().find(|known| *known == method.as_str()).unwrap_or("OTHER")
}

impl Metrics {
    /// Counts one answered request of `route` (a route template of `ROUTES`, or `unmatched`).
    pub fn observe(&self, route: &'static str, method: &'static str, status: u16, elapsed: Duration) {
        *self.requests.lock().unwrap_or_else(PoisonError::into_inner).entry((route, method, status)).or_default() += 1;
        let seconds = elapsed.as_secs_f64();
        let mut durations = self.durations.lock().unwrap_or_else(PoisonError::into_inner);
        let histogram = durations.entry(route).or_default();
        if let Some(bucket) = BUCKETS.iter().position(|bound| seconds <= *bound) {
            histogram.buckets[bucket] += 1;
        }
        histogram.count += 1;
        histogram.sum += seconds;
    }

    /// Counts an engine call of `operation` that answered, and the fuel it used (none natively).
    pub fn engine_call(&self, operation: &'static str, fuel: Option<u64>) {
        let mut engine = self.engine.lock().unwrap_or_else(PoisonError::into_inner);
        let (calls, used) = engine.entry(operation).or_default();
        *calls += 1;
        *used += fuel.unwrap_or(0);
    }

    /// Counts a stored decision and its records.
    pub fn decision(&self, records: usize) {
        self.decisions.fetch_add(1, Ordering::Relaxed);
        self.awards.fetch_add(records as u64, Ordering::Relaxed);
    }

    /// Counts a committed transaction that stored decisions (`stored` of them; none: nothing
    /// is counted).
    pub fn commit(&self, stored: usize) {
        if stored > 0 {
            self.decision_commits.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP laureate_http_requests_total HTTP requests answered.\n");
        out.push_str("# TYPE laureate_http_requests_total counter\n");
        for ((route, method, status), count) in self.requests.lock().unwrap_or_else(PoisonError::into_inner).iter() {
            let _ = writeln!(
                out,
                "laureate_http_requests_total{{route=\"{route}\",method=\"{method}\",status=\"{status}\"}} {count}"
            );
        }
        out.push_str("# HELP laureate_http_request_duration_seconds Time from a request's head to its answer.\n");
        out.push_str("# TYPE laureate_http_request_duration_seconds histogram\n");
        for (route, histogram) in self.durations.lock().unwrap_or_else(PoisonError::into_inner).iter() {
            let name = "laureate_http_request_duration_seconds";
            let mut cumulative = 0;
            for (bound, count) in BUCKETS.iter().zip(histogram.buckets) {
                cumulative += count;
                let _ = writeln!(out, "{name}_bucket{{route=\"{route}\",le=\"{bound}\"}} {cumulative}");
            }
            let _ = writeln!(out, "{name}_bucket{{route=\"{route}\",le=\"+Inf\"}} {}", histogram.count);
            let _ = writeln!(out, "{name}_sum{{route=\"{route}\"}} {}", histogram.sum);
            let _ = writeln!(out, "{name}_count{{route=\"{route}\"}} {}", histogram.count);
        }
        self.render_engine(&mut out);
        for (name, help, counter) in [
            ("laureate_decisions_total", "Decisions stored.", &self.decisions),
            ("laureate_awards_total", "Records stored by decisions.", &self.awards),
            (
                "laureate_decision_commits_total",
                "Transactions that stored decisions (decisions that arrive together are committed together).",
                &self.decision_commits,
            ),
        ] {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}",
                counter.load(Ordering::Relaxed)
            );
        }
        out
    }

    fn render_engine(&self, out: &mut String) {
        let engine = self.engine.lock().unwrap_or_else(PoisonError::into_inner);
        for (name, help, pick) in [
            ("laureate_engine_calls_total", "Engine calls that answered, by operation.", 0),
            (
                "laureate_engine_fuel_total",
                "WebAssembly fuel the engine calls used (about one unit per instruction).",
                1,
            ),
        ] {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter");
            for (operation, (calls, fuel)) in engine.iter() {
                let value = if pick == 0 { calls } else { fuel };
                let _ = writeln!(out, "{name}{{operation=\"{operation}\"}} {value}");
            }
        }
    }
}
