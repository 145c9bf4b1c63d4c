//! 办件生命周期 — the case state machine of SPEC §3 as one pure function, with the rules that
//! hang off it: what acceptance does, who signs a negative report, how opinions merge, and how
//! supplement requests merge into one notice.
//!
//! ```text
//! RECEIVED ─┬─> ANSWERED                         (consultation)
//!           ├─> SUPPLEMENT_REQUIRED ─> RECEIVED    (补正 before acceptance)
//!           ├─> RETURNED                           (signed report)
//!           ├─> NOT_ACCEPTED                       (signed report)
//!           └─> ACCEPTED ─> IN_REVIEW ⇄ SUSPENDED
//!                             ├─> AWAITING_DECISION ─> DECIDED ─> DELIVERED ─> ARCHIVED
//!                             └─> REPORTED_UP ─> DECIDED
//! WITHDRAWN from any open state.
//! ```

pub mod notices;
pub mod opening;
pub mod task_feed;
pub mod urgent;

mod merge;
pub mod review;
mod supplement;

pub use merge::{
    AttributedCondition, Decision, DecisionDraft, MergeInput, Objection, OpinionDraft,
    ValidOpinion, decide, ready_for_decision, validate_opinion,
};
pub use supplement::{SupplementItem, SupplementRequest, merge_supplement_items};

use crate::enums::{CaseKind, CaseStatus, NegativeOutcome};
use crate::error::{Error, Result};
use crate::roles::Role;

/// Something that moves a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Answer a consultation (the answer is a notice).
    Answer,
    /// Ask for missing material before acceptance (补正).
    RequestSupplementBeforeAcceptance,
    /// The applicant's material arrived (before acceptance).
    ResubmitBeforeAcceptance,
    /// Accept (受理): the clock starts.
    Accept,
    /// Suspend for a supplement after acceptance or a special procedure.
    Suspend,
    /// Resume after a suspension, back to the status before it.
    Resume(CaseStatus),
    /// The last open task resolved.
    TasksResolved,
    /// The lead window approves.
    Approve,
    /// A signed denial takes effect.
    SignDenial,
    /// A signed non-acceptance takes effect.
    SignNotAccepted,
    /// A signed return takes effect.
    SignReturn,
    /// Report the case to the upper authority.
    ReportUp,
    /// The upper authority answered.
    RecordUpperAnswer,
    /// The result reached the applicant (送达).
    Deliver,
    /// Archive (归档).
    Archive,
    /// The applicant withdrew.
    Withdraw,
}

/// Whether a status is open (not yet decided or ended).
pub fn is_open(status: CaseStatus) -> bool {
    use CaseStatus::*;
    matches!(
        status,
        Received
            | SupplementRequired
            | Accepted
            | InReview
            | Suspended
            | AwaitingDecision
            | ReportedUp
    )
}

/// The status a case of `kind` in `status` moves to on `action`.
///
/// # Errors
/// `INVALID_STATE` when the action is not allowed there.
pub fn transition(kind: CaseKind, status: CaseStatus, action: Action) -> Result<CaseStatus> {
    use Action as A;
    use CaseKind as K;
    use CaseStatus as S;
    let reviewed = matches!(kind, K::Promised | K::Joint | K::Petition);
    let next = match (status, action) {
        (s, A::Withdraw) if is_open(s) => Some(S::Withdrawn),
        (S::Received, A::Answer) if kind == K::Consultation => Some(S::Answered),
        (S::Received, A::RequestSupplementBeforeAcceptance) if kind != K::Consultation => {
            Some(S::SupplementRequired)
        }
        (S::SupplementRequired, A::ResubmitBeforeAcceptance) => Some(S::Received),
        (S::Received, A::Accept) => acceptance(kind).ok().map(Acceptance::status),
        (S::Received | S::SupplementRequired, A::SignNotAccepted) if kind != K::Consultation => {
            Some(S::NotAccepted)
        }
        (S::Received, A::SignReturn) if kind != K::Consultation => Some(S::Returned),
        (S::InReview | S::AwaitingDecision, A::Suspend) if kind != K::Immediate => {
            Some(S::Suspended)
        }
        (S::Suspended, A::Resume(to @ (S::InReview | S::AwaitingDecision))) => Some(to),
        (S::InReview, A::TasksResolved) if reviewed => Some(S::AwaitingDecision),
        (S::Accepted, A::Approve | A::SignDenial) if kind == K::Immediate => Some(S::Decided),
        (S::AwaitingDecision, A::Approve | A::SignDenial) if reviewed => Some(S::Decided),
        (S::InReview, A::ReportUp) if kind == K::ReportedUp => Some(S::ReportedUp),
        (S::ReportedUp, A::RecordUpperAnswer) => Some(S::Decided),
        (S::Decided, A::Deliver) => Some(S::Delivered),
        (S::Answered | S::Returned | S::NotAccepted | S::Withdrawn | S::Delivered, A::Archive) => {
            Some(S::Archived)
        }
        _ => None,
    };
    next.ok_or_else(|| {
        Error::InvalidState(format!(
            "a {kind:?} case in {status:?} cannot take {action:?}"
        ))
    })
}

/// What acceptance does for a case of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acceptance {
    /// Immediate case: the window decides on the spot; no tasks. Status `ACCEPTED`.
    Immediate,
    /// Promised case or petition: one task for the lead department's post. `IN_REVIEW`.
    LeadReview,
    /// Joint case: one task per co-handling department, at once. `IN_REVIEW`.
    FanOut,
    /// Reported-up case: no task; the window prepares the report to the upper authority.
    /// `IN_REVIEW`.
    ReportUp,
}

impl Acceptance {
    /// The status the case takes on acceptance.
    pub fn status(self) -> CaseStatus {
        match self {
            Acceptance::Immediate => CaseStatus::Accepted,
            _ => CaseStatus::InReview,
        }
    }
}

/// What accepting a case of `kind` does.
///
/// # Errors
/// `INVALID_STATE` for a consultation, which is answered, not accepted.
pub fn acceptance(kind: CaseKind) -> Result<Acceptance> {
    match kind {
        CaseKind::Immediate => Ok(Acceptance::Immediate),
        CaseKind::Promised | CaseKind::Petition => Ok(Acceptance::LeadReview),
        CaseKind::Joint => Ok(Acceptance::FanOut),
        CaseKind::ReportedUp => Ok(Acceptance::ReportUp),
        CaseKind::Consultation => Err(Error::InvalidState(
            "a consultation is answered, not accepted".to_owned(),
        )),
    }
}

/// Checks that accepting is allowed and says what it does.
///
/// # Errors
/// `INVALID_STATE` when the case is not `RECEIVED` or is a consultation.
pub fn accept(kind: CaseKind, status: CaseStatus) -> Result<Acceptance> {
    transition(kind, status, Action::Accept)?;
    acceptance(kind)
}

/// The action that makes a signed negative report take effect.
pub fn signing_action(outcome: NegativeOutcome) -> Action {
    match outcome {
        NegativeOutcome::Denied => Action::SignDenial,
        NegativeOutcome::NotAccepted => Action::SignNotAccepted,
        NegativeOutcome::Returned => Action::SignReturn,
    }
}

/// Checks that a negative report of `outcome` may be filed now (it must be able to take effect
/// when signed).
///
/// # Errors
/// `INVALID_STATE` otherwise.
pub fn may_file_report(kind: CaseKind, status: CaseStatus, outcome: NegativeOutcome) -> Result<()> {
    transition(kind, status, signing_action(outcome)).map(|_| ())
}

/// Who signs a negative report: the lead department's head; for a joint case, a leader.
pub fn signer_role(kind: CaseKind) -> Role {
    if kind == CaseKind::Joint {
        Role::Leader
    } else {
        Role::DeptHead
    }
}

/// The most working days an extension may add: 10, or 15 for a joint case.
pub fn extension_cap(kind: CaseKind) -> i32 {
    if kind == CaseKind::Joint { 15 } else { 10 }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod transition_tests;
