//! The `evaluate` answer written as JSON without serde's calls, byte for byte what
//! `serde_json::to_vec` writes of the same envelope (`{"ok": answer}`).
//!
//! An answer is mostly member names, ids and dates. Through serde every member is a call that
//! copies a name of a length known only at run time (a `memcpy`, and in WebAssembly a
//! `memory.copy`), between quotes pushed one at a time; here the punctuation and the name of a
//! member are one constant (`,"learner":`), copied as a few fixed-size stores. The members are
//! listed in the order of the types' `Serialize` impls, which the other operations, the error
//! envelope and the rarer values here (enum names, floats, revocations, trace entries,
//! diagnostics, the sequence state) still use, through the same [`Writer`] (`wire::write`).
//! `tests/it/write.rs` compares the two on every answer of both corpora and on generated
//! organisations.

use alloc::vec::Vec;

use serde::Serialize;

use super::answer::*;
use super::write::{WriteError, Writer};
use crate::calendar::{Date, DateText};

/// Writes `{"ok": answer}` into a buffer of at least `capacity` bytes.
pub fn evaluate_envelope(answer: &EvaluateAnswer, capacity: usize) -> Result<Vec<u8>, WriteError> {
    let mut writer = Writer::with_capacity(capacity);
    writer.constant(b"{\"ok\":");
    answer.json(&mut writer)?;
    writer.constant(b"}");
    Ok(writer.into_bytes())
}

/// A value that writes itself.
trait Json {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError>;
}

/// `,"a":…,"b":…`: members after the first, each name with its punctuation one constant.
macro_rules! members {
    ($w:ident $(, $name:literal => $value:expr)* $(,)?) => {
        $(
            $w.constant(concat!(",\"", $name, "\":").as_bytes());
            Json::json(&$value, $w)?;
        )*
    };
}

/// `{"a":…,"b":…}`.
macro_rules! object {
    ($w:ident, $first:literal => $first_value:expr $(, $name:literal => $value:expr)* $(,)?) => {{
        $w.constant(concat!("{\"", $first, "\":").as_bytes());
        Json::json(&$first_value, $w)?;
        members!($w $(, $name => $value)*);
        $w.constant(b"}");
        Ok(())
    }};
}

/// Types written through their `Serialize` impls: enum names, floats and the rarer members.
macro_rules! by_serde {
    ($($ty:ty),*) => {$(
        impl Json for $ty {
            fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
                self.serialize(&mut *w)
            }
        }
    )*};
}

by_serde!(
    Status,
    Source,
    WaitingOn,
    TraceEntry,
    CertificationStatus,
    HoldingStatus,
    EngineInfo,
    super::scalar::Percent,
    super::evidence::Revocation,
    crate::diagnostics::Diagnostic,
    alloc::collections::BTreeMap<alloc::string::String, u64>
);

impl Json for str {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        w.string(self);
        Ok(())
    }
}

impl Json for Text<'_> {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        w.string(self);
        Ok(())
    }
}

impl Json for bool {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        w.constant(if *self { b"true" } else { b"false" });
        Ok(())
    }
}

impl Json for u32 {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        w.unsigned(u128::from(*self));
        Ok(())
    }
}

impl Json for Date {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        match self.text().as_ref().and_then(DateText::bytes) {
            Some(text) => {
                w.constant(b"\"");
                w.constant(text);
                w.constant(b"\"");
                Ok(())
            }
            None => self.serialize(&mut *w),
        }
    }
}

impl<T: Json + ?Sized> Json for &T {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        (**self).json(w)
    }
}

impl<T: Json> Json for Option<T> {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        match self {
            Some(value) => value.json(w),
            None => {
                w.constant(b"null");
                Ok(())
            }
        }
    }
}

/// `[a,b,…]`.
fn list<T: Json>(items: impl IntoIterator<Item = T>, w: &mut Writer) -> Result<(), WriteError> {
    w.constant(b"[");
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            w.constant(b",");
        }
        item.json(w)?;
    }
    w.constant(b"]");
    Ok(())
}

impl<T: Json> Json for Vec<T> {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        list(self, w)
    }
}

impl Json for WaitingOnSet {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        list(self.iter(), w)
    }
}

/// The origin in its place among the members, as `"event": id` or `"path": id`.
fn origin(w: &mut Writer, origin: Origin) {
    match origin {
        Origin::Event(_) => w.constant(b",\"event\":"),
        Origin::Path(_) => w.constant(b",\"path\":"),
    }
    w.string(origin.id());
}

impl Json for EvaluateAnswer<'_> {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        object!(w,
            "engine" => self.engine,
            "asOf" => self.as_of,
            "outcomes" => self.outcomes,
            "paths" => self.paths,
            "certifications" => self.certifications,
            "holdings" => self.holdings,
            "actions" => self.actions,
            "sequenceState" => self.sequence_state,
            "diagnostics" => self.diagnostics,
        )
    }
}

impl Json for Outcome<'_> {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        w.constant(b"{\"learner\":");
        w.string(self.learner);
        members!(w, "contact" => self.contact);
        origin(w, self.origin);
        members!(w,
            "achievement" => self.achievement,
            "status" => self.status,
            "source" => self.source,
            "metOn" => self.met_on,
            "awardedOn" => self.awarded_on,
            "validFrom" => self.valid_from,
            "expiresOn" => self.expires_on,
            "identifier" => self.identifier,
            "record" => self.record,
            "waitingOn" => self.waiting_on,
            "trace" => self.trace,
        );
        w.constant(b"}");
        Ok(())
    }
}

impl Json for PathProgress<'_> {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        object!(w,
            "enrollment" => self.enrollment,
            "contact" => self.contact,
            "path" => self.path,
            "done" => self.done,
            "total" => self.total,
            "percent" => self.percent,
            "complete" => self.complete,
            "completedOn" => self.completed_on,
        )
    }
}

impl Json for CertificationProgress<'_> {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        object!(w,
            "contact" => self.contact,
            "certification" => self.certification,
            "visible" => self.visible,
            "status" => self.status,
            "cycle" => self.cycle,
            "windowStart" => self.window_start,
            "completedOn" => self.completed_on,
            "validUntil" => self.valid_until,
            "dueDate" => self.due_date,
            "requirements" => self.requirements,
        )
    }
}

impl Json for Requirement<'_> {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        object!(w,
            "course" => self.course,
            "met" => self.met,
            "bestGrade" => self.best_grade,
            "metOn" => self.met_on,
        )
    }
}

impl Json for Holding<'_> {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        object!(w,
            "contact" => self.contact,
            "achievement" => self.achievement,
            "status" => self.status,
            "validUntil" => self.valid_until,
            "history" => self.history,
        )
    }
}

impl Json for HistoryEntry<'_> {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        object!(w,
            "id" => self.id,
            "achievement" => self.achievement,
            "contact" => self.contact,
            "learner" => self.learner,
            "event" => self.event,
            "path" => self.path,
            "awardedOn" => self.awarded_on,
            "validFrom" => self.valid_from,
            "expiresOn" => self.expires_on,
            "identifier" => self.identifier,
            "revoked" => self.revoked,
        )
    }
}

/// `,"learner":…,"contact":…,"achievement":…` and the origin: the members every action has, in
/// the order the actions write them.
fn award_of(
    w: &mut Writer,
    learner: &str,
    contact: &str,
    achievement: &str,
    award_origin: Origin,
) -> Result<(), WriteError> {
    members!(w, "learner" => learner, "contact" => contact, "achievement" => achievement);
    origin(w, award_origin);
    Ok(())
}

impl Json for Action<'_> {
    fn json(&self, w: &mut Writer) -> Result<(), WriteError> {
        match self {
            Action::Issue(a) => {
                w.constant(b"{\"action\":\"issue\"");
                award_of(w, a.learner, a.contact, a.achievement, a.origin)?;
                members!(w,
                    "awardedOn" => a.awarded_on,
                    "validFrom" => a.valid_from,
                    "expiresOn" => a.expires_on,
                    "identifier" => a.identifier,
                    "certificate" => a.certificate,
                );
            }
            Action::Notify(a) => {
                w.constant(b"{\"action\":\"notify\"");
                members!(w, "trigger" => a.trigger);
                award_of(w, a.learner, a.contact, a.achievement, a.origin)?;
                members!(w, "attachCertificate" => a.attach_certificate);
            }
            Action::ReviewRevoke(a) => {
                w.constant(b"{\"action\":\"review-revoke\"");
                members!(w, "record" => a.record);
                award_of(w, a.learner, a.contact, a.achievement, a.origin)?;
            }
        }
        w.constant(b"}");
        Ok(())
    }
}
