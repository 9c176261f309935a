//! One random corruption of a request, at any member or item below its root: a wrong type (a
//! number, a string, a fraction, a negative number, an object or a list where something else
//! belongs), an impossible date (`2026-02-30`), an unknown member, or a missing one. The error
//! locator's test reads the corrupted text with the engine and with serde_path_to_error and
//! expects both to name the same member.

use serde_json::{json, Value};

use crate::rng::Rng;

/// Corrupts one member or item of `request` (never its root), chosen with `rng`. A request
/// without members is left as it is.
pub fn corrupt(request: &mut Value, rng: &mut Rng) {
    let mut all = Vec::new();
    places(request, String::new(), &mut all);
    let Some(below_root) = all.get(1..).filter(|places| !places.is_empty()) else { return };
    let at = rng.pick(below_root).clone();
    let Some(target) = request.pointer_mut(&at) else { return };
    match rng.below(7) {
        0 => *target = json!(12),
        1 => *target = json!("text"),
        2 => *target = json!(101.5),
        3 => *target = json!("2026-02-30"),
        4 => *target = json!(-1),
        5 => {
            if let Value::Object(map) = target {
                map.insert("misspelt".into(), json!(1));
            } else {
                *target = json!({"misspelt": true});
            }
        }
        _ => {
            if let Value::Object(map) = target {
                let keys: Vec<String> = map.keys().cloned().collect();
                if !keys.is_empty() {
                    map.remove(rng.pick(&keys));
                }
            } else {
                *target = json!([]);
            }
        }
    }
}

/// The JSON Pointer of `value` (`at`) and of every member and item inside it, depth first.
fn places(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (key, member) in map {
                places(member, format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                places(item, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::corrupt;
    use crate::rng::Rng;

    #[test]
    fn one_place_changes_and_the_root_stays_an_object() {
        for seed in 0..200 {
            let original = json!({"asOf": "2026-01-31", "evidence": {"learners": [{"id": "l/0"}]}});
            let mut request = original.clone();
            corrupt(&mut request, &mut Rng::new(seed));
            assert!(request.is_object());
            assert_ne!(request, original, "seed {seed}");
        }
    }

    #[test]
    fn a_request_without_members_is_left_alone() {
        let mut request = json!({});
        corrupt(&mut request, &mut Rng::new(1));
        assert_eq!(request, json!({}));
    }
}
