//! `POST /v1/orgs/{org}/decisions`: an evaluation against the ledger, and what it decides
//! written in one transaction.
//!
//! The body is `{"asOf", "evidence", "options"?}`. The ledger supplies the rest of the
//! `evaluate` request: the organisation's current rulebook, its records as `evidence.issued`,
//! its certification records as `evidence.certified` and its `evidence.sequenceState`. The
//! evaluation runs while the decision's transaction holds the organisation's lock
//! (`Ledger::begin_decisions`), so two decisions never hand out one number; its `issue` actions
//! become records `R-<n>`, its `certify` actions certification records `CR-<n>`, the sequences
//! move to the answer's `sequenceState`, its `notify` actions are queued in the outbox and every
//! change gets an audit row, all committed together. Decisions that arrive while another is
//! being written are made one after another in one transaction and committed together
//! (`group_commit.rs`); a reissue (`corrections.rs`) makes its decision through the same
//! [`make`] in a transaction of its own, after revoking a record in it.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::auth::Auth;
use super::body::JsonBody;
use super::error::ApiError;
use super::ids::Ids;
use super::operations::json_response;
use super::{group_commit, Context};
use crate::serve::ledger::{
    certification_id, record_id, sha256_hex, Correction, DecisionTx, LedgerError, LedgerState, NewCertification,
    NewDecision, NewRecord, Role, Scope,
};

/// The members of a request's top level a decision accepts.
const DECISION_MEMBERS: [&str; 4] = ["asOf", "evidence", "options", "version"];

/// `POST /v1/orgs/{org}/decisions` (role `decide`; `?dryRun=true` answers without writing;
/// `Idempotency-Key` makes a retry return the stored answer). Answers `{"evaluation",
/// "records", "certified"}`: the engine's answer envelope, byte for byte, and the ids of the
/// stored records and certification records.
pub async fn post(
    State(context): State<Arc<Context>>,
    auth: Auth,
    Ids(org): Ids<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let principal = auth.require(&org, Role::Decide)?;
    let dry_run = dry_run(query.as_deref())?;
    let key = idempotency_key(&headers)?;
    let parts = DecisionBody::read(&body, &[])?;
    if dry_run {
        let state = context.ledger.state(&org, &parts.scope()).await?;
        let (answer, _) = evaluate(&context, &parts, &state).await?;
        return Ok(json_response(answer.into_bytes()));
    }
    group_commit::decide(&context, org, principal.token_id.clone(), body, key).await
}

/// A decision to make and store.
pub(super) struct Decision<'a> {
    pub org: &'a str,
    /// The token id: the audit rows' `actor`.
    pub actor: &'a str,
    /// The request body, whose hash is stored with the idempotency key.
    pub body: &'a [u8],
    pub parts: &'a DecisionBody<'a>,
    pub key: Option<String>,
}

/// A record a decision revokes before it evaluates (a reissue).
pub(super) struct Revoke<'a> {
    pub id: &'a str,
    pub on: &'a str,
    pub correction: Correction<'a>,
}

/// What [`make`] did with a decision.
pub(super) enum Made {
    /// Evaluated and written (not committed yet): the response body, and how many records and
    /// certification records it stored.
    Stored { answer: String, records: usize, certified: usize },
    /// An idempotent retry: the stored response body.
    Replay(String),
    /// Refused before anything of it was written (a reissue's revocation aside, which only
    /// its own transaction holds).
    Refused(ApiError),
}

/// Makes `decision` in `tx`: answers an idempotent retry with the stored answer, revokes
/// `revoke`'s record so that the evaluation sees it revoked, evaluates against the ledger as
/// `tx` has it, and writes what was decided. An error is the ledger's, and `tx` is lost with it.
pub(super) async fn make(
    context: &Context,
    tx: &mut DecisionTx,
    decision: &Decision<'_>,
    revoke: Option<Revoke<'_>>,
) -> Result<Made, LedgerError> {
    let request_hash = sha256_hex(decision.body);
    if let Some(key) = &decision.key {
        if let Some((hash, answer)) = tx.by_key(decision.org, key).await? {
            if hash != request_hash {
                return Ok(Made::Refused(ApiError::Conflict {
                    code: "idempotency-key-reused",
                    message: "this idempotency key was used for another request body".into(),
                    path: String::new(),
                }));
            }
            return Ok(Made::Replay(answer));
        }
    }
    if let Some(revoke) = revoke {
        if let Err(refused) = tx.revoke(decision.org, revoke.id, revoke.on, revoke.correction).await? {
            return Ok(Made::Refused(refused.into()));
        }
    }
    let state = tx.state(decision.org, &decision.parts.scope()).await?;
    let (answer, planned) = match evaluate(context, decision.parts, &state).await {
        Ok(evaluated) => evaluated,
        Err(error) => return Ok(Made::Refused(error)),
    };
    let rulebook_version = state.rulebook.as_ref().map_or(0, |(version, _)| *version);
    let stored = NewDecision {
        actor: decision.actor.to_owned(),
        idempotency_key: decision.key.clone(),
        request_hash,
        rulebook_version,
        answer: answer.clone(),
        records: planned.records,
        certifications: planned.certifications,
        sequence_state: planned.sequence_state,
        notifications: planned.notifications,
    };
    let (records, certified) = tx.store(decision.org, stored).await?;
    Ok(Made::Stored { answer, records: records.len(), certified: certified.len() })
}

/// Makes `decision` after revoking `revoke`'s record, in a transaction of its own (a reissue:
/// the revocation stands only if the decision is stored). Answers `{"evaluation", "records",
/// "certified"}`.
pub(super) async fn decide_alone(
    context: &Context,
    decision: Decision<'_>,
    revoke: Revoke<'_>,
) -> Result<Response, ApiError> {
    let turn = context.ledger.turn(decision.org).await;
    let mut tx = context.ledger.begin_decisions(turn).await?;
    let made = make(context, &mut tx, &decision, Some(revoke)).await?;
    if let Made::Stored { .. } = made {
        tx.commit().await?;
        context.metrics.commit(1);
    }
    answered(context, made)
}

/// The response of a decision [`make`] made, once its transaction is committed; logs it and
/// counts its records.
pub(super) fn answered(context: &Context, made: Made) -> Result<Response, ApiError> {
    match made {
        Made::Stored { answer, records, certified } => {
            context.metrics.decision(records);
            tracing::info!(records, certified, "decision stored");
            Ok(json_response(answer.into_bytes()))
        }
        Made::Replay(answer) => {
            tracing::info!("idempotent replay");
            Ok(json_response(answer.into_bytes()))
        }
        Made::Refused(error) => Err(error),
    }
}

/// `?dryRun=true|false` (absent: false); any other query is a 400.
fn dry_run(query: Option<&str>) -> Result<bool, ApiError> {
    let mut dry_run = false;
    for pair in query.unwrap_or_default().split('&').filter(|pair| !pair.is_empty()) {
        dry_run = match pair {
            "dryRun=true" => true,
            "dryRun=false" => false,
            _ => {
                return Err(ApiError::BadRequest {
                    code: "invalid-query",
                    message: "the only query parameter is `dryRun=true` or `dryRun=false`".into(),
                    path: String::new(),
                })
            }
        };
    }
    Ok(dry_run)
}

/// The `Idempotency-Key` header: 1 to 255 visible ASCII characters.
pub(super) fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else { return Ok(None) };
    match value.to_str() {
        Ok(key) if (1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic()) => {
            Ok(Some(key.to_owned()))
        }
        _ => Err(ApiError::BadRequest {
            code: "invalid-idempotency-key",
            message: "`Idempotency-Key` must be 1 to 255 visible ascii characters".into(),
            path: String::new(),
        }),
    }
}

/// An object's members in document order, each value's text untouched.
struct Members<'a>(Vec<(String, &'a RawValue)>);

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Members<'de>, D::Error> {
        struct MembersVisitor;
        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members<'de>, A::Error> {
                let mut members = Vec::new();
                while let Some(name) = map.next_key::<String>()? {
                    members.push((name, map.next_value::<&'de RawValue>()?));
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(MembersVisitor)
    }
}

/// A decision's body, read only as far as the ledger needs: the engine reads the rest.
pub(super) struct DecisionBody<'a> {
    top: Vec<(String, &'a RawValue)>,
    evidence: Vec<(String, &'a RawValue)>,
    /// Top-level members the service reads itself (a reissue's `reason`), left out of the
    /// `evaluate` request.
    service: &'static [&'static str],
}

pub(super) fn bad(code: &'static str, message: String, path: String) -> ApiError {
    ApiError::BadRequest { code, message, path }
}

/// A JSON Pointer token (RFC 6901).
pub(super) fn pointer_token(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

impl<'a> DecisionBody<'a> {
    /// Reads a decision's body, which may also have the top-level members `service`.
    pub fn read(body: &'a [u8], service: &'static [&'static str]) -> Result<DecisionBody<'a>, ApiError> {
        let value: &RawValue =
            serde_json::from_slice(body).map_err(|e| bad("invalid-json", e.to_string(), String::new()))?;
        let top = members(value, "")?;
        for (name, _) in &top {
            if name == "rulebook" {
                return Err(ledger_owned("/rulebook", "the organisation's current rulebook"));
            }
            if !DECISION_MEMBERS.contains(&name.as_str()) && !service.contains(&name.as_str()) {
                let expected: Vec<&str> = service.iter().chain(&["asOf", "evidence", "options"]).copied().collect();
                let message = format!("unknown member `{name}`: expected `{{{}}}`", expected.join(", "));
                return Err(bad("invalid-input", message, format!("/{}", pointer_token(name))));
            }
        }
        let evidence = top
            .iter()
            .find(|(name, _)| name == "evidence")
            .map(|(_, value)| *value)
            .ok_or_else(|| bad("invalid-input", "missing member `evidence`".into(), String::new()))?;
        let evidence = members(evidence, "/evidence")?;
        for (name, _) in &evidence {
            match name.as_str() {
                "issued" => return Err(ledger_owned("/evidence/issued", "the ledger's records")),
                "certified" => return Err(ledger_owned("/evidence/certified", "the ledger's certification records")),
                "sequenceState" => return Err(ledger_owned("/evidence/sequenceState", "the ledger's sequence state")),
                _ => {}
            }
        }
        Ok(DecisionBody { top, evidence, service })
    }

    /// The top-level member `name`, if the body has it.
    /// The contacts and learners the evidence names: the ledger gives the evaluation their
    /// records only (`ledger::Scope`).
    pub fn scope(&self) -> Scope {
        Scope::of_evidence(self.evidence.iter().map(|(name, value)| (name.as_str(), value.get())))
    }

    pub fn member(&self, name: &str) -> Option<&'a RawValue> {
        self.top.iter().find(|(member, _)| member == name).map(|(_, value)| *value)
    }

    /// The `evaluate` request: the body with the ledger's rulebook, records, certification
    /// records and sequences.
    fn request(&self, rulebook: &str, state: &LedgerState) -> Result<String, ApiError> {
        let internal = |e: serde_json::Error| ApiError::Internal(format!("ledger state: {e}"));
        let issued = serde_json::to_string(&state.records).map_err(internal)?;
        let certified = serde_json::to_string(&state.certified).map_err(internal)?;
        let sequences = serde_json::to_string(&state.sequence_state).map_err(internal)?;
        let mut out = String::from("{");
        for (name, value) in &self.top {
            if self.service.contains(&name.as_str()) {
                continue;
            }
            if name == "evidence" {
                out.push_str("\"rulebook\":");
                out.push_str(rulebook);
                out.push_str(",\"evidence\":{");
                for (name, value) in &self.evidence {
                    push_member(&mut out, name, value.get())?;
                    out.push(',');
                }
                out.push_str("\"issued\":");
                out.push_str(&issued);
                out.push_str(",\"certified\":");
                out.push_str(&certified);
                out.push_str(",\"sequenceState\":");
                out.push_str(&sequences);
                out.push_str("},");
            } else {
                push_member(&mut out, name, value.get())?;
                out.push(',');
            }
        }
        out.pop();
        out.push('}');
        Ok(out)
    }
}

fn push_member(out: &mut String, name: &str, value: &str) -> Result<(), ApiError> {
    let name = serde_json::to_string(name).map_err(|e| ApiError::Internal(e.to_string()))?;
    out.push_str(&name);
    out.push(':');
    out.push_str(value);
    Ok(())
}

/// The members of an object (400 when it is not one, or names a member twice).
pub(super) fn members<'a>(value: &'a RawValue, path: &str) -> Result<Vec<(String, &'a RawValue)>, ApiError> {
    let not_object = |_| bad("invalid-input", "expected an object".into(), path.to_owned());
    let Members(members) = serde_json::from_str(value.get()).map_err(not_object)?;
    let mut seen = BTreeSet::new();
    for (name, _) in &members {
        if !seen.insert(name.as_str()) {
            let message = format!("duplicate member `{name}`");
            return Err(bad("invalid-input", message, format!("{path}/{}", pointer_token(name))));
        }
    }
    Ok(members)
}

fn ledger_owned(path: &str, what: &str) -> ApiError {
    let member = path.rsplit('/').next().unwrap_or_default();
    let message = format!("`{member}` is {what}, which the ledger supplies: leave it out of a decision");
    bad("ledger-owned", message, path.to_owned())
}

/// What the ledger stores of one evaluation.
struct Planned {
    records: Vec<NewRecord>,
    certifications: Vec<NewCertification>,
    sequence_state: std::collections::BTreeMap<String, i64>,
    notifications: Vec<(String, String)>,
}

#[derive(Deserialize)]
struct Answer<'a> {
    #[serde(borrow)]
    ok: Evaluation<'a>,
}

#[derive(Deserialize)]
struct Evaluation<'a> {
    #[serde(borrow)]
    actions: Vec<&'a RawValue>,
    #[serde(rename = "sequenceState")]
    sequence_state: std::collections::BTreeMap<String, i64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Action {
    action: String,
    trigger: Option<String>,
    learner: Option<String>,
    contact: Option<String>,
    achievement: Option<String>,
    event: Option<String>,
    path: Option<String>,
    awarded_on: Option<String>,
    valid_from: Option<String>,
    expires_on: Option<String>,
    identifier: Option<String>,
    certificate: Option<String>,
    certification: Option<String>,
    cycle: Option<i64>,
    completed_on: Option<String>,
    valid_until: Option<String>,
    key: Option<String>,
}

/// Evaluates the decision against `state`: the response body and what to store.
async fn evaluate(
    context: &Context,
    body: &DecisionBody<'_>,
    state: &LedgerState,
) -> Result<(String, Planned), ApiError> {
    let Some((_, rulebook)) = &state.rulebook else { return Err(no_rulebook()) };
    let request = body.request(rulebook, state)?;
    let answer = context.call("evaluate", request.into_bytes()).await?;
    if crate::json::answer_is_ok(&answer) != Some(true) {
        return Err(ApiError::Engine(answer));
    }
    let answer = String::from_utf8(answer).map_err(|e| ApiError::Internal(format!("evaluate answer: {e}")))?;
    let planned = plan(&answer)?;
    let ids: Vec<String> = (0..planned.records.len()).map(|i| record_id(state.next_record + i as i64)).collect();
    let ids = serde_json::to_string(&ids).map_err(|e| ApiError::Internal(e.to_string()))?;
    let certified: Vec<String> =
        (0..planned.certifications.len()).map(|i| certification_id(state.next_certification + i as i64)).collect();
    let certified = serde_json::to_string(&certified).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((format!("{{\"evaluation\":{answer},\"records\":{ids},\"certified\":{certified}}}"), planned))
}

/// 409 `no-rulebook`: the organisation has no rulebook to evaluate with.
pub(super) fn no_rulebook() -> ApiError {
    ApiError::Conflict {
        code: "no-rulebook",
        message: "the organisation has no rulebook yet: `PUT` one first".into(),
        path: String::new(),
    }
}

/// The records, sequences and notifications of an `ok` evaluate answer.
fn plan(answer: &str) -> Result<Planned, ApiError> {
    let internal = |e: serde_json::Error| ApiError::Internal(format!("evaluate answer: {e}"));
    let Answer { ok } = serde_json::from_str(answer).map_err(internal)?;
    let mut planned = Planned {
        records: Vec::new(),
        certifications: Vec::new(),
        sequence_state: ok.sequence_state,
        notifications: Vec::new(),
    };
    for raw in ok.actions {
        let action: Action = serde_json::from_str(raw.get()).map_err(internal)?;
        match action.action.as_str() {
            "issue" => planned.records.push(new_record(action)?),
            "certify" => planned.certifications.push(new_certification(action)?),
            "notify" => {
                // A certification's notification carries its own stable key (spec.md §7,
                // Recertification records); an award's is made of its event or path, learner,
                // achievement and trigger.
                let key = match (&action.certification, action.key) {
                    (Some(_), Some(key)) => key,
                    _ => format!(
                        "{}/{}/{}/{}",
                        action.event.or(action.path).unwrap_or_default(),
                        action.learner.unwrap_or_default(),
                        action.achievement.unwrap_or_default(),
                        action.trigger.unwrap_or_default()
                    ),
                };
                planned.notifications.push((key, raw.get().to_owned()));
            }
            // `review-revoke` is a proposal for a person: it stays in the answer.
            _ => {}
        }
    }
    Ok(planned)
}

fn new_certification(action: Action) -> Result<NewCertification, ApiError> {
    let missing = |member: &str| ApiError::Internal(format!("evaluate answer: a certify action without `{member}`"));
    Ok(NewCertification {
        contact: action.contact.ok_or_else(|| missing("contact"))?,
        certification: action.certification.ok_or_else(|| missing("certification"))?,
        cycle: action.cycle.ok_or_else(|| missing("cycle"))?,
        completed_on: action.completed_on.ok_or_else(|| missing("completedOn"))?,
        valid_until: action.valid_until,
        certificate: action.certificate,
    })
}

fn new_record(action: Action) -> Result<NewRecord, ApiError> {
    let missing = |member: &str| ApiError::Internal(format!("evaluate answer: an issue action without `{member}`"));
    Ok(NewRecord {
        achievement: action.achievement.ok_or_else(|| missing("achievement"))?,
        contact: action.contact.ok_or_else(|| missing("contact"))?,
        learner: action.learner,
        event: action.event,
        path: action.path,
        awarded_on: action.awarded_on.ok_or_else(|| missing("awardedOn"))?,
        valid_from: action.valid_from.ok_or_else(|| missing("validFrom"))?,
        expires_on: action.expires_on,
        identifier: action.identifier,
        certificate: action.certificate,
    })
}
