//! The preview while an administrator edits results: the evidence of an `evaluate` request read
//! once, then one learner replaced and the whole evidence evaluated again, without reading the
//! other learners' JSON again. Each answer is byte for byte the answer of `evaluate` on the
//! request as it stands after the changes (docs/spec.md, "Previews").

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{Error, ErrorCode};
use crate::limits::Limits;
use crate::rulebook::PreparedRulebook;
use crate::wire::evidence::Learner;
use crate::wire::read::{read, read_request};
use crate::wire::request::EvidenceRequest;

/// An `evaluate` request without its rulebook (`{asOf, evidence, options?}`), read once and held
/// in its typed form, to be evaluated against a [`PreparedRulebook`] after each change.
pub struct Preview {
    request: EvidenceRequest,
    limits: Limits,
    /// The request's text as first read (for [`Preview::compare_json`], which reads it again:
    /// cheaper in the `.wasm` than a copy of the typed evidence).
    original: Vec<u8>,
    /// Whether a learner was replaced since.
    changed: bool,
}

impl Preview {
    /// Reads the JSON text of an `EvidenceRequest` within the default [`Limits`]. A failure is
    /// the error envelope [`PreparedRulebook::evaluate_json`] answers for the same text.
    pub fn from_json(request: &[u8]) -> Result<Preview, Vec<u8>> {
        Preview::from_json_with_limits(request, &Limits::default())
    }

    /// [`Preview::from_json`] within other limits; a replaced learner's text is held to them too.
    pub fn from_json_with_limits(request_text: &[u8], limits: &Limits) -> Result<Preview, Vec<u8>> {
        match read_request::<EvidenceRequest>(request_text, limits) {
            Ok(request) => Ok(Preview { request, limits: *limits, original: request_text.to_vec(), changed: false }),
            Err(err) => Err(crate::envelope::<()>(Err(err))),
        }
    }

    /// The request as it stands.
    pub fn request(&self) -> &EvidenceRequest {
        &self.request
    }

    /// The number of learners (`evidence.learners`); `0..learner_count()` can be replaced.
    pub fn learner_count(&self) -> usize {
        self.request.evidence.learners.len()
    }

    /// Replaces the learner at `index` with the learner object of the JSON text `learner`, read
    /// and checked as that member of a request is. On an error the preview is unchanged; paths
    /// are those of the member in the request (`/evidence/learners/{index}/...`), but for text
    /// that is not JSON (`invalid-json`) and text over the size limit, whose path is `""`.
    pub fn replace_learner_json(&mut self, index: usize, learner: &[u8]) -> Result<(), Error> {
        let count = self.learner_count();
        let base = format!("/evidence/learners/{index}");
        if index >= count {
            let plural = if count == 1 { "" } else { "s" };
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("there is no learner {index} to replace: the evidence has {count} learner{plural}"),
                base,
            ));
        }
        let read = self.limits.check_text(learner).and_then(|()| read::<Learner>(learner)).and_then(|learner| {
            learner.check(String::new)?;
            Ok(learner)
        });
        let learner = read.map_err(|err| err.under(&base))?;
        self.changed = true;
        if let Some(slot) = self.request.evidence.learners.get_mut(index) {
            *slot = learner;
        }
        Ok(())
    }

    /// Evaluates the request as it stands against `book`: the answer envelope's JSON.
    pub fn evaluate_json(&self, book: &PreparedRulebook) -> Vec<u8> {
        let r = &self.request;
        crate::evaluate_envelope(&book.evaluate(r.as_of, &r.evidence, &r.options))
    }

    /// `compare` (spec.md §14) of the evidence as first read (`before`) with the evidence as it
    /// stands (`after`), against `book`: the answer envelope's JSON, `{"ok": {"changes": []}}`
    /// before any change.
    pub fn compare_json(&self, book: &PreparedRulebook) -> Vec<u8> {
        let r = &self.request;
        let original = match self.changed {
            true => read_request::<EvidenceRequest>(&self.original, &self.limits).ok(),
            false => None,
        };
        let before = original.as_ref().map_or(&r.evidence, |original| &original.evidence);
        crate::compare_envelope(&book.compare(r.as_of, (before, &r.evidence), &r.options))
    }

    /// [`Preview::replace_learner_json`], then [`Preview::evaluate_json`]: the new answer, or the
    /// error envelope of a learner that could not be read (the preview is then unchanged).
    pub fn change_learner_json(&mut self, book: &PreparedRulebook, index: usize, learner: &[u8]) -> Vec<u8> {
        match self.replace_learner_json(index, learner) {
            Ok(()) => self.evaluate_json(book),
            Err(err) => crate::envelope::<()>(Err(err)),
        }
    }
}
