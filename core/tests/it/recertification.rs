//! Recertification (spec.md §7, Recertification) against a plain reference implementation of its
//! date rules: civil dates as day numbers, months clamped to their end, the three bases, the
//! renewal window, the late grace and the statuses, written out anew here (nothing of the
//! core's calendar is used), over generated dates that favour month ends and leap days.

use proptest::prelude::*;
use serde_json::{json, Value};

/// A civil date, `(year, month, day)`.
type Ymd = (i64, i64, i64);

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn month_days(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 0000-03-01 (Howard Hinnant's `days_from_civil`, shifted): only differences and
/// order matter here.
fn days((y, m, d): Ymd) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy
}

fn from_days(n: i64) -> Ymd {
    let era = n.div_euclid(146_097);
    let doe = n - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn add_days(date: Ymd, n: i64) -> Ymd {
    from_days(days(date) + n)
}

/// `date + n` months (n may be negative), the day clamped to the month's length.
fn add_months((y, m, d): Ymd, n: i64) -> Ymd {
    let index = y * 12 + (m - 1) + n;
    let (y, m) = (index.div_euclid(12), index.rem_euclid(12) + 1);
    (y, m, d.min(month_days(y, m)))
}

fn text((y, m, d): Ymd) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

fn parse(text: &Value) -> Option<Ymd> {
    let t = text.as_str()?;
    Some((t[0..4].parse().ok()?, t[5..7].parse().ok()?, t[8..10].parse().ok()?))
}

#[derive(Clone, Debug)]
enum Basis {
    Completion,
    Expiry,
    Fixed { anchor: Ymd, minimum: i64 },
}

#[derive(Clone, Debug)]
struct Renewal {
    every: i64,
    basis: Basis,
    window: Option<i64>,
    grace: Option<i64>,
}

/// The basis: `validUntil` of a cycle completed on `c`, the previous one valid until `previous`.
fn valid_until(r: &Renewal, previous: Option<Ymd>, c: Ymd) -> Ymd {
    match r.basis {
        Basis::Completion => add_months(c, r.every),
        Basis::Expiry => match previous {
            Some(v) if days(c) <= days(v) => add_months(v, r.every),
            _ => add_months(c, r.every),
        },
        Basis::Fixed { anchor, minimum } => {
            // Every date of the series over a century each way, the earliest that qualifies.
            let lowest = days(add_months(c, minimum));
            (-1300..=1300)
                .map(|k| add_months(anchor, k * r.every))
                .filter(|t| days(*t) > days(c) && days(*t) >= lowest)
                .min_by_key(|t| days(*t))
                .expect("a later date of the series")
        }
    }
}

/// The row of spec.md §7 for one course whose every result qualifies: (status, cycle,
/// windowStart, completedOn, validUntil, windowOpens, graceUntil).
type Row = (&'static str, i64, Ymd, Option<Ymd>, Option<Ymd>, Option<Ymd>, Option<Ymd>);

fn reference(r: &Renewal, start: Ymd, results: &[Ymd], as_of: Ymd) -> Row {
    let (mut window, mut cycle, mut previous) = (start, 1, None);
    let (mut status, mut latest) = ("not-started", None);
    loop {
        // The cycle completes on its earliest result in [window, asOf].
        let done = results
            .iter()
            .copied()
            .filter(|d| days(window) <= days(*d) && days(*d) <= days(as_of))
            .min_by_key(|d| days(*d));
        let opens = latest.and_then(|v| r.window.map(|w| add_days(v, -w)));
        let grace_until = latest.and_then(|v| r.grace.map(|g| add_days(v, g)));
        let Some(c) = done else {
            return (status, cycle, window, previous.map(|(c, _)| c), latest, opens, grace_until);
        };
        let v = valid_until(r, latest, c);
        let opens = r.window.map(|w| add_days(v, -w));
        let judged_from = opens.unwrap_or(v);
        if days(as_of) < days(judged_from) {
            return ("completed", cycle, window, Some(c), Some(v), opens, r.grace.map(|g| add_days(v, g)));
        }
        cycle += 1;
        window = match opens {
            Some(o) if days(o) > days(c) + 1 => o,
            _ => add_days(c, 1),
        };
        let in_grace = r.grace.is_some_and(|g| days(as_of) < days(v) + g);
        status = if days(as_of) < days(v) {
            "renewal-due"
        } else if in_grace {
            "grace"
        } else {
            "expired"
        };
        previous = Some((c, v));
        latest = Some(v);
    }
}

/// Evaluates one generated certification and compares its row with the reference's.
fn check(r: &Renewal, start: Ymd, results: &[Ymd], as_of: Ymd) -> Result<(), TestCaseError> {
    let request = request(r, start, results, as_of);
    let answer: Value =
        serde_json::from_slice(&laureate_core::call("evaluate", request.to_string().as_bytes())).expect("JSON");
    let got = &answer["ok"]["certifications"][0];
    prop_assert_eq!(answer["ok"]["diagnostics"].as_array().map(Vec::len), Some(0), "{}", answer);
    let (status, cycle, window, completed, until, opens, grace) = reference(r, start, results, as_of);
    prop_assert_eq!(got["status"].as_str(), Some(status), "{}", got);
    prop_assert_eq!(got["cycle"].as_i64(), Some(cycle), "{}", got);
    prop_assert_eq!(parse(&got["windowStart"]), Some(window), "{}", got);
    prop_assert_eq!(parse(&got["completedOn"]), completed, "{}", got);
    prop_assert_eq!(parse(&got["validUntil"]), until, "{}", got);
    prop_assert_eq!(parse(&got["windowOpens"]), opens, "{}", got);
    prop_assert_eq!(parse(&got["graceUntil"]), grace, "{}", got);
    Ok(())
}

/// A date of 2019–2029 that is a month's last day (28, 29, 30 or 31) about half the time.
fn date() -> impl Strategy<Value = Ymd> {
    (2019i64..=2029, 1i64..=12, prop_oneof![1i64..=31, Just(31), Just(29)])
        .prop_map(|(y, m, d)| (y, m, d.min(month_days(y, m))))
}

/// A step from one date to the next: whole months (often a period: anniversaries), then a few
/// days either way (often none), so results land on and around each `validUntil`.
fn step() -> impl Strategy<Value = (i64, i64)> {
    (prop_oneof![0i64..=14, Just(1), Just(3), Just(6), Just(12)], prop_oneof![Just(0i64), -40i64..=40])
}

/// Results that follow one another from `start` by [`step`]s, and an `asOf` reached the same way.
fn timeline() -> impl Strategy<Value = (Ymd, Vec<Ymd>, Ymd)> {
    (date(), proptest::collection::vec(step(), 0..6), (0i64..=40, prop_oneof![Just(0i64), -40i64..=40])).prop_map(
        |(start, steps, (months, delta))| {
            let mut at = start;
            let results = steps
                .iter()
                .map(|(m, d)| {
                    at = add_days(add_months(at, *m), *d);
                    at
                })
                .collect();
            (start, results, add_days(add_months(start, months), delta))
        },
    )
}

fn renewal() -> impl Strategy<Value = Renewal> {
    let every = prop_oneof![Just(1i64), Just(3), Just(6), Just(12)];
    (every, 0u8..3, date(), 0i64..=12, any::<bool>(), 0i64..400, proptest::option::of(0i64..40)).prop_map(
        |(every, basis, anchor, minimum, has_window, window, grace)| {
            let fewest = match every {
                1 => 28,
                3 => 89,
                6 => 181,
                _ => 365,
            };
            let basis = match basis {
                0 => Basis::Completion,
                1 => Basis::Expiry,
                _ => Basis::Fixed { anchor, minimum: minimum % (every + 1) },
            };
            Renewal { every, basis, window: has_window.then_some(window % fewest), grace }
        },
    )
}

fn request(r: &Renewal, start: Ymd, results: &[Ymd], as_of: Ymd) -> Value {
    let mut renewal = json!({"everyMonths": r.every});
    match r.basis {
        Basis::Completion => renewal["basis"] = json!("completion"),
        Basis::Expiry => renewal["basis"] = json!("expiry"),
        Basis::Fixed { anchor, minimum } => {
            renewal["basis"] = json!("fixed");
            renewal["anchor"] = json!(text(anchor));
            renewal["minimumActiveMonths"] = json!(minimum);
        }
    }
    if let Some(w) = r.window {
        renewal["windowDays"] = json!(w);
    }
    if let Some(g) = r.grace {
        renewal["lateGraceDays"] = json!(g);
    }
    json!({
        "asOf": text(as_of),
        "rulebook": {
            "courses": [{"id": "k", "title": "K", "gradedSteps": 1}],
            "certifications": [{"id": "c", "name": "C", "effectiveFrom": "2019-01-01", "renewal": renewal,
                                "courses": ["k"], "minimumGrade": 50}]
        },
        "evidence": {
            "certificationAssignments": [{"contact": "P", "certification": "c", "assignedOn": text(start)}],
            "courseResults": results.iter().map(|d| json!({"contact": "P", "course": "k", "grade": 60, "completedOn": text(*d)})).collect::<Vec<_>>()
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    /// Every row agrees with the reference: the basis, the window, the grace and the status
    /// precedence, over any results and any `asOf`.
    #[test]
    fn rows_follow_the_reference_on_anniversaries(r in renewal(), (start, results, as_of) in timeline()) {
        let (start, as_of) = if days(as_of) < days(start) { (as_of, start) } else { (start, as_of) };
        check(&r, start, &results, as_of)?;
    }

    /// The same over dates drawn independently.
    #[test]
    fn rows_follow_the_reference(r in renewal(), start in date(), results in proptest::collection::vec(date(), 0..6), as_of in date()) {
        // An assignment after `asOf` has not happened yet: keep them in order.
        let (start, as_of) = if days(as_of) < days(start) { (as_of, start) } else { (start, as_of) };
        check(&r, start, &results, as_of)?;
    }

    /// The fixed basis is the earliest date of the anchor's series after the completion and on or
    /// after completion + minimumActiveMonths, for every completion, anchor and period.
    #[test]
    fn fixed_basis_is_the_earliest_qualifying_date(anchor in date(), c in date(), every in prop_oneof![Just(1i64), Just(3), Just(6), Just(12)], minimum in 0i64..=12) {
        let r = Renewal { every, basis: Basis::Fixed { anchor, minimum: minimum.min(every) }, window: None, grace: None };
        let request = request(&r, (2019, 1, 1), &[c], c);
        let answer: Value = serde_json::from_slice(&laureate_core::call("evaluate", request.to_string().as_bytes())).expect("JSON");
        let got = parse(&answer["ok"]["certifications"][0]["validUntil"]);
        prop_assert_eq!(got, Some(valid_until(&r, None, c)), "{}", answer);
    }
}

/// The reference's own calendar: round trips, and the clamped month ends of spec.md §1.
#[test]
fn reference_calendar() {
    for n in days((2019, 1, 1))..days((2031, 1, 1)) {
        assert_eq!(days(from_days(n)), n);
    }
    assert_eq!(add_months((2024, 1, 31), 1), (2024, 2, 29));
    assert_eq!(add_months((2024, 2, 29), 12), (2025, 2, 28));
    assert_eq!(add_months((2026, 3, 31), -1), (2026, 2, 28));
    assert_eq!(add_days((2024, 2, 28), 1), (2024, 2, 29));
    assert_eq!(add_days((2025, 3, 1), -1), (2025, 2, 28));
}
