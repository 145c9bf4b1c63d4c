//! 意见合并 — checking a department's opinion, and merging every current opinion into the lead
//! window's decision (SPEC §3, "Merge").

use crate::enums::{CaseKind, CaseStatus, DecisionOutcome, OpinionKind};
use crate::error::{Error, Result};
use crate::validate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

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
    /// Missing material (NEEDS_SUPPLEMENT).
    pub missing_items: Vec<String>,
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
    /// Missing material, trimmed and deduplicated.
    pub missing_items: Vec<String>,
}

/// Checks an opinion: conditions for APPROVE_WITH_CONDITIONS, reason and legal basis for
/// REJECT, missing items for NEEDS_SUPPLEMENT, nothing stray elsewhere.
///
/// # Errors
/// `INVALID_INPUT` naming the missing or stray field.
pub fn validate_opinion(draft: &OpinionDraft) -> Result<ValidOpinion> {
    let kind = draft
        .kind
        .ok_or_else(|| Error::invalid("kind", "is required"))?;
    let conditions = validate::list("conditions", &draft.conditions, validate::MAX_TEXT)?;
    let missing_items = validate::list("missingItems", &draft.missing_items, validate::MAX_TEXT)?;
    let reason = validate::optional("reason", draft.reason.as_deref(), validate::MAX_TEXT)?;
    let legal_basis = validate::optional(
        "legalBasis",
        draft.legal_basis.as_deref(),
        validate::MAX_TEXT,
    )?;
    match kind {
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
        OpinionKind::NeedsSupplement if missing_items.is_empty() => {
            return Err(Error::invalid(
                "missingItems",
                "NEEDS_SUPPLEMENT needs the missing items",
            ));
        }
        OpinionKind::DeemedApproved => {
            return Err(Error::invalid(
                "kind",
                "DEEMED_APPROVED is given by the engine at a deadline, not submitted",
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
    if kind != OpinionKind::NeedsSupplement && !missing_items.is_empty() {
        return Err(Error::invalid(
            "missingItems",
            "only NEEDS_SUPPLEMENT carries missing items",
        ));
    }
    Ok(ValidOpinion {
        kind,
        conditions,
        reason,
        legal_basis,
        missing_items,
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
    /// Its reason (REJECT).
    pub reason: Option<String>,
    /// Its legal basis (REJECT).
    pub legal_basis: Option<String>,
}

/// One condition attached to a decision, attributed to the department that set it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributedCondition {
    /// The department that set the condition.
    pub department: String,
    /// The condition's text.
    pub text: String,
}

/// A department's objection, attached to a denial or overruled by an approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Objection {
    /// The objecting department.
    pub department_id: Uuid,
    /// Its name.
    pub department: String,
    /// Its reason.
    pub reason: String,
    /// Its legal basis.
    pub legal_basis: String,
}

/// What the lead window decides.
#[derive(Debug, Clone)]
pub struct DecisionDraft {
    /// The outcome.
    pub outcome: DecisionOutcome,
    /// The reason (required to approve over an objection, and to deny).
    pub reason: Option<String>,
    /// The legal basis (required to deny).
    pub legal_basis: Option<String>,
}

/// A decision the engine will record (approval) or file for signature (denial).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The outcome.
    pub outcome: DecisionOutcome,
    /// The reason, when given.
    pub reason: Option<String>,
    /// The legal basis (denials).
    pub legal_basis: Option<String>,
    /// The union of every department's conditions, each attributed (approvals).
    pub conditions: Vec<AttributedCondition>,
    /// The objections: overruled by an approval, attached to a denial.
    pub objections: Vec<Objection>,
}

/// Whether a case of `kind` in `status` is ready for the lead window's decision: an immediate
/// case once accepted; a reviewed case once every task is resolved.
pub fn ready_for_decision(kind: CaseKind, status: CaseStatus) -> bool {
    match kind {
        CaseKind::Immediate => status == CaseStatus::Accepted,
        CaseKind::Promised | CaseKind::Joint | CaseKind::Petition => {
            status == CaseStatus::AwaitingDecision
        }
        CaseKind::Consultation | CaseKind::ReportedUp => false,
    }
}

/// Checks a decision against the case and merges the opinions into it.
///
/// - all approve → approval with the union of conditions, each attributed;
/// - any REJECT → deny (the objections attached; reason and legal basis required) or approve
///   over it (a written reason required; the objecting departments are recorded);
/// - any NEEDS_SUPPLEMENT → no approval until the one-time supplement notice has been answered.
///
/// # Errors
/// `INVALID_STATE` when the case is not ready or material is missing; `INVALID_INPUT` for a
/// missing reason or legal basis.
pub fn decide(
    kind: CaseKind,
    status: CaseStatus,
    opinions: &[MergeInput],
    draft: &DecisionDraft,
) -> Result<Decision> {
    if !ready_for_decision(kind, status) {
        return Err(Error::InvalidState(format!(
            "a {kind:?} case in {status:?} cannot be decided"
        )));
    }
    let reason = validate::optional("reason", draft.reason.as_deref(), validate::MAX_TEXT)?;
    let legal_basis = validate::optional(
        "legalBasis",
        draft.legal_basis.as_deref(),
        validate::MAX_TEXT,
    )?;
    let objections: Vec<Objection> = opinions
        .iter()
        .filter(|o| o.kind == OpinionKind::Reject)
        .map(|o| Objection {
            department_id: o.department_id,
            department: o.department_name.clone(),
            reason: o.reason.clone().unwrap_or_default(),
            legal_basis: o.legal_basis.clone().unwrap_or_default(),
        })
        .collect();
    match draft.outcome {
        DecisionOutcome::Denied => {
            let reason =
                reason.ok_or_else(|| Error::invalid("reason", "a denial needs a reason"))?;
            let legal_basis = legal_basis
                .ok_or_else(|| Error::invalid("legalBasis", "a denial needs its legal basis"))?;
            Ok(Decision {
                outcome: DecisionOutcome::Denied,
                reason: Some(reason),
                legal_basis: Some(legal_basis),
                conditions: Vec::new(),
                objections,
            })
        }
        DecisionOutcome::Approved => {
            if opinions
                .iter()
                .any(|o| o.kind == OpinionKind::NeedsSupplement)
            {
                return Err(Error::InvalidState(
                    "a department needs material: issue the one-time supplement notice first"
                        .to_owned(),
                ));
            }
            if !objections.is_empty() && reason.is_none() {
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
                legal_basis,
                conditions,
                objections,
            })
        }
    }
}
