//! The query string of a read: only the endpoint's parameters, each at most once, and each
//! refused value a 400 `invalid-query` whose path names the parameter (`?awardedFrom`).

use axum::http::Uri;

use super::error::ApiError;
use super::page::{invalid, Page};

/// A request's query parameters, percent-decoded.
#[derive(Debug)]
pub struct Query(Vec<(String, String)>);

impl Query {
    /// The parameters of `uri`: any name not in `known`, or given twice, is a 400.
    pub fn read(uri: &Uri, known: &[&str]) -> Result<Query, ApiError> {
        let axum::extract::Query(pairs) =
            axum::extract::Query::<Vec<(String, String)>>::try_from_uri(uri).map_err(|e| ApiError::BadRequest {
                code: "invalid-query",
                message: format!("cannot read the query string: {}", e.body_text()),
                path: String::new(),
            })?;
        for (index, (name, _)) in pairs.iter().enumerate() {
            if !known.contains(&name.as_str()) {
                let known = known.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ");
                return Err(invalid(name, format!("unknown query parameter `{name}` (this endpoint reads {known})")));
            }
            if pairs.iter().take(index).any(|(earlier, _)| earlier == name) {
                return Err(invalid(name, format!("`{name}` is given twice")));
            }
        }
        Ok(Query(pairs))
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// A non-empty text parameter.
    pub fn text(&self, name: &str) -> Result<Option<String>, ApiError> {
        match self.get(name) {
            Some("") => Err(invalid(name, format!("`{name}` must not be empty"))),
            value => Ok(value.map(str::to_owned)),
        }
    }

    /// A date parameter, `YYYY-MM-DD` (a real date, years 0001 to 9999).
    pub fn date(&self, name: &str) -> Result<Option<String>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(text) if laureate_core::Date::parse(text).is_some() => Ok(Some(text.to_owned())),
            Some(_) => Err(invalid(name, format!("`{name}` must be a date, `YYYY-MM-DD`"))),
        }
    }

    /// The page `limit` and `cursor` ask for.
    pub fn page(&self) -> Result<Page, ApiError> {
        Page::read(self.get("limit"), self.get("cursor"))
    }
}
