//! Which of the ledger's records a decision reads: those of the contacts and learners its
//! evidence names. The engine looks issued records up by learner (spec.md §5 rule 9) and by
//! (contact, achievement) (§6 early renewal, §7 holdings), and certification records by
//! (contact, certification) (§7, Recertification records), so a record of anyone else changes
//! none of the decision's outcomes; leaving those out keeps a decision's cost to its own
//! learners however large the ledger grows, and its answer's `holdings` and
//! `certificationHoldings` to the contacts it is about.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use serde_json::value::RawValue;
use sqlx::AnyConnection;

use super::reads::{stored_record, RecordRow};
use super::{sql, CertificationRecord, IssuedRecord, LedgerError, Revocation};

/// The most ids one statement binds (SQLite allows 32,766 parameters, PostgreSQL 65,535).
const IDS_PER_STATEMENT: usize = 500;

/// The evidence lists whose items name a contact (`contact`) and, for the first two, a learner
/// (`id`: a learner's, or a path enrolment's, which is the learner id of its awards).
const PARTY_LISTS: [(&str, bool); 5] = [
    ("learners", true),
    ("pathEnrollments", true),
    ("trainingRecords", false),
    ("certificationAssignments", false),
    ("courseResults", false),
];

/// The contacts and learners a decision's evidence names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    pub contacts: BTreeSet<String>,
    pub learners: BTreeSet<String>,
}

/// An item of a party list, read only as far as the scope needs; a member that is not a
/// string is left to the engine to refuse.
#[derive(Deserialize)]
struct Party<'a> {
    #[serde(borrow, default)]
    id: Option<&'a RawValue>,
    #[serde(borrow, default)]
    contact: Option<&'a RawValue>,
}

impl Scope {
    /// The scope of an evidence object's members (name, JSON text). A list that is not an
    /// array of objects adds nothing: the engine refuses that evidence anyway.
    pub fn of_evidence<'a>(members: impl IntoIterator<Item = (&'a str, &'a str)>) -> Scope {
        let mut scope = Scope::default();
        for (name, value) in members {
            let Some(&(_, names_learners)) = PARTY_LISTS.iter().find(|(list, _)| *list == name) else { continue };
            let Ok(parties) = serde_json::from_str::<Vec<Party<'_>>>(value) else { continue };
            for party in parties {
                if let Some(contact) = party.contact.and_then(string) {
                    scope.contacts.insert(contact);
                }
                if let Some(id) = party.id.and_then(string).filter(|_| names_learners) {
                    scope.learners.insert(id);
                }
            }
        }
        scope
    }
}

/// What a decision reads of its scope: the records and the certification records.
pub type ScopeRecords = (Vec<IssuedRecord>, Vec<CertificationRecord>);

/// A row of the scope's statement: a record's columns and `cycle`, `NULL` for a record and the
/// cycle for a certification record (`sql::SELECT_CERTIFIED_AS_RECORDS`).
type ScopeRow = (
    i64,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    Option<i64>,
);

/// The records of `org` in `scope`: whose contact is one of its contacts or whose learner is
/// one of its learners (indexes `records_by_contact`, `records_by_learner`); and, when
/// `certified` (the organisation has certification records), the certification records of its
/// contacts (the index on (org, contact, certification, completed_on)). Each in number order.
/// One statement per [`IDS_PER_STATEMENT`] ids, contacts first; none for an empty scope.
pub(super) async fn records(
    conn: &mut AnyConnection,
    org: &str,
    scope: &Scope,
    certified: bool,
) -> Result<ScopeRecords, LedgerError> {
    let contacts = scope.contacts.iter().map(|id| ("contact", id.as_str()));
    let ids: Vec<(&str, &str)> = contacts.chain(scope.learners.iter().map(|id| ("learner", id.as_str()))).collect();
    let (mut found, mut certifications) = (BTreeMap::new(), BTreeMap::new());
    for chunk in ids.chunks(IDS_PER_STATEMENT) {
        let mut query = sqlx::query_as::<_, ScopeRow>(sqlx::AssertSqlSafe(select_in(chunk, certified))).bind(org);
        for (_, id) in chunk {
            query = query.bind(*id);
        }
        for row in query.fetch_all(&mut *conn).await? {
            match item(row) {
                Item::Record(row) => {
                    let stored = stored_record(row);
                    found.entry(stored.number).or_insert(stored.record);
                }
                Item::Certification(number, record) => {
                    certifications.entry(number).or_insert(record);
                }
            }
        }
    }
    Ok((found.into_values().collect(), certifications.into_values().collect()))
}

/// What a row of the scope's statement is.
enum Item {
    Record(RecordRow),
    /// A certification record and its number.
    Certification(i64, CertificationRecord),
}

/// A row of the scope's statement: a record's row, or a certification record mapped back from
/// the columns of `sql::SELECT_CERTIFIED_AS_RECORDS`.
fn item(row: ScopeRow) -> Item {
    let (
        number,
        id,
        of,
        contact,
        learner,
        event,
        path,
        awarded,
        valid_from,
        expires,
        identifier,
        on,
        by,
        reason,
        decision,
        cycle,
    ) = row;
    let Some(cycle) = cycle else {
        return Item::Record((
            number, id, of, contact, learner, event, path, awarded, valid_from, expires, identifier, on, by, reason,
            decision,
        ));
    };
    let record = CertificationRecord {
        id,
        contact,
        certification: of,
        cycle,
        completed_on: awarded,
        valid_until: expires,
        revoked: on.map(|on| Revocation { on, by, reason }),
    };
    Item::Certification(number, record)
}

/// The `SELECT` of the records whose column is one of `ids` (column, id), bound from `$2` in
/// their order: one `SELECT` per column, joined by `UNION ALL` so that each uses its index
/// (SQLite would read the organisation's every record for `contact IN (…) OR learner IN (…)`);
/// with `certified`, one more for the certification records of the same contacts (the same
/// parameters).
fn select_in(ids: &[(&str, &str)], certified: bool) -> String {
    let mut selects = Vec::new();
    let mut next = 2;
    let mut contacts = None;
    for column in ["contact", "learner"] {
        let count = ids.iter().filter(|(of, _)| *of == column).count();
        if count == 0 {
            continue;
        }
        let placeholders: Vec<String> = (next..next + count).map(|n| format!("${n}")).collect();
        next += count;
        let placeholders = placeholders.join(", ");
        // The column is one of the two above; the ids are bound.
        selects.push(format!("{} WHERE org = $1 AND {column} IN ({placeholders})", sql::SELECT_SCOPE_RECORDS));
        if column == "contact" {
            contacts = Some(placeholders);
        }
    }
    if let Some(placeholders) = contacts.filter(|_| certified) {
        selects.push(format!("{} WHERE org = $1 AND contact IN ({placeholders})", sql::SELECT_CERTIFIED_AS_RECORDS));
    }
    selects.join(" UNION ALL ")
}

fn string(raw: &RawValue) -> Option<String> {
    serde_json::from_str(raw.get()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|item| (*item).to_owned()).collect()
    }

    #[test]
    fn every_party_list_adds_its_contacts_and_learners() {
        let scope = Scope::of_evidence([
            ("learners", r#"[{"id": "L1", "contact": "C1", "event": "e"}, {"id": "L2", "contact": "C2"}]"#),
            ("pathEnrollments", r#"[{"id": "P1", "contact": "C3", "path": "p"}]"#),
            ("trainingRecords", r#"[{"recordId": "TR-1", "contact": "C4"}]"#),
            ("certificationAssignments", r#"[{"contact": "C5", "certification": "x"}]"#),
            ("courseResults", r#"[{"contact": "C1", "course": "c", "id": "not-a-learner"}]"#),
            ("asOf", r#""2026-01-01""#),
        ]);
        assert_eq!(scope.contacts, set(&["C1", "C2", "C3", "C4", "C5"]));
        assert_eq!(scope.learners, set(&["L1", "L2", "P1"]));
    }

    #[test]
    fn contacts_and_learners_are_selected_through_their_indexes() {
        let select = select_in(&[("contact", "C1"), ("contact", "C2"), ("learner", "L1")], false);
        assert!(select.ends_with("WHERE org = $1 AND learner IN ($4)"), "{select}");
        assert!(select.contains("WHERE org = $1 AND contact IN ($2, $3) UNION ALL SELECT"), "{select}");
        assert!(select_in(&[("learner", "L1")], true).ends_with("WHERE org = $1 AND learner IN ($2)"));
        assert_eq!(select.matches("SELECT").count(), 2, "{select}");
    }

    #[test]
    fn the_contacts_certification_records_are_read_in_the_same_statement() {
        let select = select_in(&[("contact", "C1"), ("contact", "C2"), ("learner", "L1")], true);
        assert!(select.contains("learner IN ($4) UNION ALL SELECT"), "{select}");
        assert!(select.ends_with("FROM certification_records WHERE org = $1 AND contact IN ($2, $3)"), "{select}");
        assert_eq!(select.matches(" UNION ALL ").count(), 2, "{select}");
    }

    #[test]
    fn what_the_engine_will_refuse_adds_nothing() {
        let scope = Scope::of_evidence([
            ("learners", r#"{"id": "L1"}"#),
            ("pathEnrollments", r#"[1, 2]"#),
            ("trainingRecords", r#"[{"contact": 7}, {"contact": "C\"1"}]"#),
        ]);
        assert_eq!(scope.contacts, set(&["C\"1"]));
        assert!(scope.learners.is_empty());
    }
}
