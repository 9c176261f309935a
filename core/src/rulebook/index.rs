//! Ids of one kind indexed once: the ones defined exactly once, the ones defined more than
//! once (each later occurrence reported), and references resolved against them.

use alloc::borrow::Cow;
use alloc::collections::btree_map::Entry;
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::{String, ToString};

use crate::diagnostics::{Code, Diagnostics};
use crate::wire::scalar::Shown;

/// Ids of one kind: the ones defined exactly once, and the ones defined more than once. A
/// rulebook's index owns its ids (`IdIndex<'static>`); an index of evidence borrows them.
#[derive(Clone, Debug, Default)]
pub struct IdIndex<'a> {
    unique: BTreeMap<Cow<'a, str>, usize>,
    duplicated: BTreeSet<Cow<'a, str>>,
}

/// What a reference resolves to.
pub enum Resolution {
    Found(usize),
    /// Defined more than once: skipped, already reported as `duplicate-id`.
    Duplicated,
    Unknown,
}

impl IdIndex<'static> {
    /// Indexes `ids` (in document order), owning them; see [`IdIndex::borrowing`].
    pub fn build<'b>(
        ids: impl Iterator<Item = &'b str>,
        kind: &str,
        code: Code,
        path_of: impl Fn(usize) -> String,
        diagnostics: &mut Diagnostics,
    ) -> IdIndex<'static> {
        IdIndex::index(ids.map(|id| Cow::Owned(id.to_string())), kind, code, &path_of, diagnostics)
    }
}

impl<'a> IdIndex<'a> {
    /// Indexes `ids` (in document order), reporting each later occurrence with `code` at
    /// `path_of(i)`; the index borrows the ids.
    pub fn borrowing(
        ids: impl Iterator<Item = &'a str>,
        kind: &str,
        code: Code,
        path_of: impl Fn(usize) -> String,
        diagnostics: &mut Diagnostics,
    ) -> IdIndex<'a> {
        IdIndex::index(ids.map(Cow::Borrowed), kind, code, &path_of, diagnostics)
    }

    fn index(
        ids: impl Iterator<Item = Cow<'a, str>>,
        kind: &str,
        code: Code,
        path_of: &dyn Fn(usize) -> String,
        diagnostics: &mut Diagnostics,
    ) -> IdIndex<'a> {
        let mut index = IdIndex { unique: BTreeMap::new(), duplicated: BTreeSet::new() };
        for (i, id) in ids.enumerate() {
            let again = match index.unique.entry(id) {
                Entry::Vacant(slot) => {
                    if index.duplicated.contains(slot.key()) {
                        Some(slot.into_key())
                    } else {
                        slot.insert(i);
                        None
                    }
                }
                Entry::Occupied(slot) => {
                    let (id, _) = slot.remove_entry();
                    Some(id)
                }
            };
            if let Some(id) = again {
                diagnostics.error(code, path_of(i), format!("{kind} `{}` is defined more than once", Shown(&id)));
                index.duplicated.insert(id);
            }
        }
        index
    }

    pub fn resolve(&self, id: &str) -> Resolution {
        match self.unique.get(id) {
            Some(&i) => Resolution::Found(i),
            None if self.duplicated.contains(id) => Resolution::Duplicated,
            None => Resolution::Unknown,
        }
    }

    pub fn get(&self, id: &str) -> Option<usize> {
        self.unique.get(id).copied()
    }

    pub fn contains(&self, id: &str) -> bool {
        self.unique.contains_key(id) || self.duplicated.contains(id)
    }

    /// The indices of the items defined exactly once, by id.
    pub fn iter(&self) -> impl Iterator<Item = (&str, usize)> {
        self.unique.iter().map(|(id, &i)| (id.as_ref(), i))
    }
}

impl IdIndex<'_> {
    /// Resolves a reference to an id of this kind, reporting `no <kind> has the id` at `path`
    /// when no item has it (a duplicated id was reported where it is defined).
    pub fn resolve_or_report(
        &self,
        id: &str,
        kind: &str,
        path: impl FnOnce() -> String,
        d: &mut Diagnostics,
    ) -> Resolution {
        let resolution = self.resolve(id);
        if let Resolution::Unknown = resolution {
            d.error(Code::UnknownReference, path(), format!("no {kind} has the id `{}`", Shown(id)));
        }
        resolution
    }
}
