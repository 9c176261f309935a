//! The error locator (serde_json's line and column → JSON Pointer) names the same member as
//! serde_path_to_error, over many corrupted requests, compact and pretty-printed.

use laureate_core::wire::read::read;
use laureate_core::wire::EvaluateRequest;
use laureate_orggen::{corrupt, evaluate_request, Rng};
use serde_path_to_error::Segment;

/// The path serde_path_to_error tracks, with a missing member appended as the engine does.
fn reference_path(bytes: &[u8]) -> Option<String> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let err = serde_path_to_error::deserialize::<_, EvaluateRequest>(&mut de).err()?;
    let mut path = String::new();
    for segment in err.path().iter() {
        match segment {
            Segment::Seq { index } => path.push_str(&format!("/{index}")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                path.push('/');
                path.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
            Segment::Unknown => {}
        }
    }
    let message = err.inner().to_string();
    if let Some(member) = message.strip_prefix("missing field `").and_then(|r| r.split_once('`')).map(|(m, _)| m) {
        path.push('/');
        path.push_str(member);
    }
    Some(path)
}

#[test]
fn locator_agrees_with_serde_path_to_error() {
    let mut compared = 0;
    for seed in 0..3000u64 {
        let mut rng = Rng::new(seed ^ 0xC0FFEE);
        let mut request = evaluate_request(seed);
        corrupt(&mut request, &mut rng);
        let text =
            if seed % 2 == 0 { request.to_string() } else { serde_json::to_string_pretty(&request).expect("json") };
        let Some(want) = reference_path(text.as_bytes()) else { continue };
        let got = read::<EvaluateRequest>(text.as_bytes()).expect_err("the engine refuses what serde refuses");
        assert_eq!(got.path, want, "seed {seed}: {}\n{text}", got.message);
        compared += 1;
    }
    assert!(compared > 1000, "only {compared} corrupted requests were refused");
}

/// Text that is not UTF-8 is `invalid-json` at the root, whatever else it holds (docs/abi.md):
/// here a wrong type comes before the bad byte, which the reader never reaches. The message
/// places the first bad byte by line and column, counted in bytes (`é` is two).
#[test]
fn text_that_is_not_utf8_is_invalid_json() {
    use laureate_core::ErrorCode;
    let text = b"{\"asOf\": 5,\n \"r\xc3\xa9\": \"\xff\"}";
    let Err(err) = read::<EvaluateRequest>(text) else { panic!("text that is not UTF-8 was read") };
    assert_eq!((err.code, err.path.as_str()), (ErrorCode::InvalidJson, ""));
    assert_eq!(err.message, "the request is not UTF-8 text at line 2 column 10");
    // The same text with the bad byte replaced is read as far as the wrong type.
    let valid = b"{\"asOf\": 5,\n \"r\xc3\xa9\": \"x\"}";
    let Err(err) = read::<EvaluateRequest>(valid) else { panic!("a wrong type was read") };
    assert_eq!((err.code, err.path.as_str()), (ErrorCode::InvalidInput, "/asOf"));
}
