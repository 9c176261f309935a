//! `GET /v1/openapi.json`: the document describes exactly the routes the router serves, and
//! every status the tests observe on a route.

use std::collections::BTreeSet;

use laureate_host::serve::http::ROUTES;
use reqwest::Method;
use serde_json::Value;

use super::{json, Server};

/// The (method, path) pairs of the document's `paths`.
fn documented(document: &Value) -> BTreeSet<(String, String)> {
    let mut pairs = BTreeSet::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("a path item").keys().filter(|key| *key != "parameters") {
            pairs.insert((method.to_ascii_uppercase(), path.clone()));
        }
    }
    pairs
}

/// The route template `path` (its query left out) matches, if any.
fn template_of(path: &str) -> Option<&'static str> {
    let path = path.split('?').next().unwrap_or_default();
    let segments: Vec<&str> = path.split('/').collect();
    ROUTES.iter().map(|route| route.path).find(|template| {
        let parts: Vec<&str> = template.split('/').collect();
        parts.len() == segments.len()
            && parts.iter().zip(&segments).all(|(part, segment)| part.starts_with('{') || part == segment)
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn the_openapi_document_describes_the_router() {
    let server = Server::start("openapi");
    let (status, body) = server.send(Method::GET, "/v1/openapi.json", None, None, &[]).await;
    assert_eq!(status, 200);
    let document = json(&body);
    assert_eq!(document["openapi"], "3.1.0");

    // The same pairs in the document and in the route table the router is built from.
    let routes: BTreeSet<(String, String)> =
        ROUTES.iter().map(|route| (route.method.to_owned(), route.path.to_owned())).collect();
    assert_eq!(documented(&document), routes);

    // The router serves each of them, and no other method on their paths.
    let paths: BTreeSet<&str> = ROUTES.iter().map(|route| route.path).collect();
    for path in paths {
        let concrete = path.replace("{org}", "acme").replace("{identifier}", "CPR-1");
        for method in ["GET", "PUT", "POST", "PATCH", "DELETE"] {
            let (status, _) =
                server.send(Method::from_bytes(method.as_bytes()).unwrap(), &concrete, None, None, &[]).await;
            let served = routes.contains(&(method.to_owned(), path.to_owned()));
            // Served: answered by its handler (200, or refused for want of a token or body; the
            // public verification of a number no record has yet: 404).
            let expected: &[u16] = match (served, path.starts_with("/v1/verify/")) {
                (false, _) => &[405],
                (true, false) => &[200, 401, 415],
                (true, true) => &[404],
            };
            assert!(expected.contains(&status), "{method} {concrete}: {status}");
        }
    }

    // Every status the hostile requests observe on a route is documented for it.
    for case in super::hostile::cases("a", "d", "r", "o") {
        let Some(template) = template_of(&case.path) else { continue };
        let operation = &document["paths"][template][case.method.to_ascii_lowercase()];
        if operation.is_null() || case.code == Some("") {
            // A method the route does not have (405, documented in `info`), or a refusal of
            // the HTTP layer before the router (no envelope).
            assert!(case.status == 405 || case.code == Some(""), "{} {}", case.method, case.path);
            continue;
        }
        let status = case.status.to_string();
        assert!(
            operation["responses"].get(&status).is_some(),
            "{} {template}: {status} is not documented",
            case.method
        );
    }

    // Every response refers to a defined component.
    let text = serde_json::to_string(&document).unwrap();
    for reference in text.split("\"$ref\":\"#/components/").skip(1) {
        let reference = reference.split('"').next().unwrap();
        let (kind, name) = reference.split_once('/').unwrap();
        assert!(document["components"][kind][name].is_object(), "{reference} is defined");
    }
}
