//! 办件生命周期 — the case state machine and the merge of opinions (SPEC §3), as pure functions.

use crate::error::{Error, Result};
use crate::validate;
use lianban_entity::{CaseKind, CaseStatus, DecisionOutcome, OpinionKind};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What acceptance does for a case of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acceptance {
    /// Immediate case: the window decides on the spot; no tasks. Status becomes `ACCEPTED`.
    Immediate,
    /// Promised case: one task for the lead department's reviewers. Status becomes `IN_REVIEW`.
    LeadReview,
    /// Joint case: one task per co-handling department, at once. Status becomes `IN_REVIEW`.
    FanOut,
}

impl Acceptance {
    /// The status the case takes on acceptance.
    pub fn status(self) -> CaseStatus {
        match self {
            Acceptance::Immediate => CaseStatus::Accepted,
            Acceptance::LeadReview | Acceptance::FanOut => CaseStatus::InReview,
        }
    }
}

/// Decides what accepting a case of `kind` in `status` does.
///
/// # Errors
/// `INVALID_STATE` when the case is not `RECEIVED`, or its kind is not accepted this way.
pub fn accept(kind: CaseKind, status: CaseStatus) -> Result<Acceptance> {
    if status != CaseStatus::Received {
        return Err(Error::InvalidState(format!(
            "only a RECEIVED case can be accepted; this one is {status:?}"
        )));
    }
    match kind {
        CaseKind::Immediate => Ok(Acceptance::Immediate),
        CaseKind::Promised => Ok(Acceptance::LeadReview),
        CaseKind::Joint => Ok(Acceptance::FanOut),
        other => Err(Error::InvalidState(format!(
            "a {other:?} case is not accepted for review"
        ))),
    }
}

/// An opinion as a department submits it, before validation.
#[derive(Debug, Clone, Default)]
pub struct OpinionDraft {
    /// The kind.
    pub kind: Option<OpinionKind>,
    /// Conditions (APPROVE_WITH_CONDITIONS).
    pub conditions: Vec<String>,
    /// Reason (REJECT).
    pub reason: Option<String>,
    /// Legal basis (REJECT).
    pub legal_basis: Option<String>,
}

/// A validated opinion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidOpinion {
    /// The kind.
    pub kind: OpinionKind,
    /// Conditions, trimmed and deduplicated.
    pub conditions: Vec<String>,
    /// Reason.
    pub reason: Option<String>,
    /// Legal basis.
    pub legal_basis: Option<String>,
}

/// Checks an opinion: conditions for APPROVE_WITH_CONDITIONS, reason and legal basis for
/// REJECT, nothing stray on a plain APPROVE.
///
/// # Errors
/// `INVALID_INPUT` naming the missing or stray field.
pub fn validate_opinion(draft: &OpinionDraft) -> Result<ValidOpinion> {
    let kind = draft
        .kind
        .ok_or_else(|| Error::invalid("kind", "is required"))?;
    let conditions = validate::list("conditions", &draft.conditions, validate::MAX_TEXT)?;
    let reason = validate::optional("reason", draft.reason.as_deref(), validate::MAX_TEXT)?;
    let legal_basis = validate::optional(
        "legalBasis",
        draft.legal_basis.as_deref(),
        validate::MAX_TEXT,
    )?;
    match kind {
        OpinionKind::Approve if !conditions.is_empty() => {
            return Err(Error::invalid(
                "conditions",
                "an APPROVE carries no conditions; use APPROVE_WITH_CONDITIONS",
            ));
        }
        OpinionKind::ApproveWithConditions if conditions.is_empty() => {
            return Err(Error::invalid(
                "conditions",
                "APPROVE_WITH_CONDITIONS needs at least one condition",
            ));
        }
        OpinionKind::Reject if reason.is_none() => {
            return Err(Error::invalid("reason", "a REJECT needs a reason"));
        }
        OpinionKind::Reject if legal_basis.is_none() => {
            return Err(Error::invalid(
                "legalBasis",
                "a REJECT needs its legal basis",
            ));
        }
        OpinionKind::NeedsSupplement | OpinionKind::DeemedApproved => {
            return Err(Error::invalid(
                "kind",
                format!("{kind:?} is not submitted as an opinion here"),
            ));
        }
        _ => {}
    }
    if kind != OpinionKind::ApproveWithConditions && !conditions.is_empty() {
        return Err(Error::invalid(
            "conditions",
            "only APPROVE_WITH_CONDITIONS carries conditions",
        ));
    }
    Ok(ValidOpinion {
        kind,
        conditions,
        reason,
        legal_basis,
    })
}

/// A department's current opinion, as the merge sees it.
#[derive(Debug, Clone)]
pub struct MergeInput {
    /// The department.
    pub department_id: Uuid,
    /// The department's name, for attribution.
    pub department_name: String,
    /// The opinion's kind.
    pub kind: OpinionKind,
    /// Its conditions.
    pub conditions: Vec<String>,
}

/// One condition attached to a decision, attributed to the department that set it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributedCondition {
    /// The department that set the condition.
    pub department: String,
    /// The condition's text.
    pub text: String,
}

/// What the lead window decides.
#[derive(Debug, Clone)]
pub struct DecisionDraft {
    /// The outcome.
    pub outcome: DecisionOutcome,
    /// The reason (required to approve over an objection).
    pub reason: Option<String>,
}

/// A decision the engine will record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The outcome.
    pub outcome: DecisionOutcome,
    /// The reason, when given.
    pub reason: Option<String>,
    /// The union of every department's conditions, each attributed.
    pub conditions: Vec<AttributedCondition>,
    /// The departments that objected (REJECT) and were overruled.
    pub overruled: Vec<Uuid>,
}

/// Checks a decision against the case and merges the opinions into it.
///
/// - An immediate case is decided from `ACCEPTED`; promised and joint cases from
///   `AWAITING_DECISION` (every task resolved).
/// - Approving carries the union of all conditions, each attributed to its department.
/// - Approving over a REJECT needs a written reason; the objecting departments are recorded.
///
/// # Errors
/// `INVALID_STATE` when the case is not ready; `INVALID_INPUT` for a missing reason or an
/// outcome this operation does not record.
pub fn decide(
    kind: CaseKind,
    status: CaseStatus,
    opinions: &[MergeInput],
    draft: &DecisionDraft,
) -> Result<Decision> {
    let ready = match kind {
        CaseKind::Immediate => status == CaseStatus::Accepted,
        CaseKind::Promised | CaseKind::Joint => status == CaseStatus::AwaitingDecision,
        _ => false,
    };
    if !ready {
        return Err(Error::InvalidState(format!(
            "a {kind:?} case in {status:?} cannot be decided"
        )));
    }
    let reason = validate::optional("reason", draft.reason.as_deref(), validate::MAX_TEXT)?;
    if draft.outcome != DecisionOutcome::Approved {
        return Err(Error::invalid(
            "outcome",
            "a denial is filed as a negative decision report, not decided directly",
        ));
    }
    let overruled: Vec<Uuid> = opinions
        .iter()
        .filter(|o| o.kind == OpinionKind::Reject)
        .map(|o| o.department_id)
        .collect();
    if !overruled.is_empty() && reason.is_none() {
        return Err(Error::invalid(
            "reason",
            "approving over a department's REJECT needs a written reason",
        ));
    }
    let conditions = opinions
        .iter()
        .flat_map(|o| {
            o.conditions.iter().map(|text| AttributedCondition {
                department: o.department_name.clone(),
                text: text.clone(),
            })
        })
        .collect();
    Ok(Decision {
        outcome: DecisionOutcome::Approved,
        reason,
        conditions,
        overruled,
    })
}

#[cfg(test)]
mod tests;
