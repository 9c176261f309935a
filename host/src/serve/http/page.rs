//! Cursor pagination, the same on every list: `?limit=N` (1 to 1,000, default 100) and
//! `?cursor=C`, where `C` is the `next` of the previous page (opaque to clients: the position
//! of the page's last item). A page answers `{"<items>": [...], "next": C | null}`; `null`
//! means there is no more.

use super::error::ApiError;

/// The default and the largest `limit`.
pub const DEFAULT_LIMIT: i64 = 100;
pub const MAX_LIMIT: i64 = 1_000;

/// Where a page starts and how long it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    /// Items after this position (0: from the first).
    pub after: i64,
    /// At most this many items.
    pub limit: i64,
}

impl Page {
    /// The page `limit` and `cursor` ask for (the query's raw values, when given).
    pub fn read(limit: Option<&str>, cursor: Option<&str>) -> Result<Page, ApiError> {
        let limit = match limit {
            None => DEFAULT_LIMIT,
            Some(text) => match text.parse::<i64>() {
                Ok(limit) if (1..=MAX_LIMIT).contains(&limit) => limit,
                _ => return Err(invalid("limit", format!("`limit` must be an integer from 1 to {MAX_LIMIT}"))),
            },
        };
        let after = match cursor {
            None => 0,
            Some(text) => match text.strip_prefix('p').and_then(|n| n.parse::<i64>().ok()) {
                Some(after) if after >= 0 && text.len() <= 20 => after,
                _ => return Err(invalid("cursor", "`cursor` must be the `next` of an earlier page".into())),
            },
        };
        Ok(Page { after, limit })
    }

    /// How many rows to fetch: one more than the page, to know whether another follows.
    pub fn fetch(&self) -> i64 {
        self.limit + 1
    }

    /// Cuts `rows` (fetched with [`Page::fetch`], in position order) to the page and gives the
    /// `next` cursor: the position of the page's last item when more follow.
    pub fn finish<T>(&self, mut rows: Vec<T>, position: impl Fn(&T) -> i64) -> (Vec<T>, Option<String>) {
        let more = rows.len() as i64 > self.limit;
        rows.truncate(usize::try_from(self.limit).unwrap_or(usize::MAX));
        let next = if more { rows.last().map(|row| cursor(position(row))) } else { None };
        (rows, next)
    }
}

/// The cursor of position `after`.
fn cursor(after: i64) -> String {
    format!("p{after}")
}

fn invalid(parameter: &str, message: String) -> ApiError {
    ApiError::BadRequest { code: "invalid-query", message, path: format!("?{parameter}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_cursors_are_read_or_refused() {
        assert_eq!(Page::read(None, None).unwrap(), Page { after: 0, limit: DEFAULT_LIMIT });
        assert_eq!(Page::read(Some("5"), Some("p42")).unwrap(), Page { after: 42, limit: 5 });
        for limit in ["0", "-1", "1001", "ten", ""] {
            assert!(Page::read(Some(limit), None).is_err(), "{limit}");
        }
        for cursor in ["42", "p-1", "p", "px", "p99999999999999999999"] {
            assert!(Page::read(None, Some(cursor)).is_err(), "{cursor}");
        }
    }

    #[test]
    fn a_page_says_whether_another_follows() {
        let page = Page { after: 0, limit: 2 };
        assert_eq!(page.finish(vec![1, 2, 3], |n| *n), (vec![1, 2], Some("p2".to_owned())));
        assert_eq!(page.finish(vec![1, 2], |n| *n), (vec![1, 2], None));
        assert_eq!(page.finish(Vec::<i64>::new(), |n| *n), (vec![], None));
    }
}
