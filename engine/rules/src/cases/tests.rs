use super::*;
use crate::enums::{DecisionOutcome, OpinionKind};
use uuid::Uuid;

fn draft(kind: OpinionKind) -> OpinionDraft {
    OpinionDraft {
        kind: Some(kind),
        ..OpinionDraft::default()
    }
}

#[test]
fn only_a_received_case_of_an_accepted_kind_is_accepted() {
    assert_eq!(
        accept(CaseKind::Joint, CaseStatus::Received).unwrap(),
        Acceptance::FanOut
    );
    assert_eq!(
        accept(CaseKind::Promised, CaseStatus::Received).unwrap(),
        Acceptance::LeadReview
    );
    assert_eq!(
        accept(CaseKind::Petition, CaseStatus::Received).unwrap(),
        Acceptance::LeadReview
    );
    assert_eq!(
        accept(CaseKind::ReportedUp, CaseStatus::Received).unwrap(),
        Acceptance::ReportUp
    );
    assert_eq!(
        accept(CaseKind::Immediate, CaseStatus::Received)
            .unwrap()
            .status(),
        CaseStatus::Accepted
    );
    assert_eq!(
        accept(CaseKind::Joint, CaseStatus::InReview)
            .unwrap_err()
            .code(),
        "INVALID_STATE"
    );
    assert_eq!(
        accept(CaseKind::Consultation, CaseStatus::Received)
            .unwrap_err()
            .code(),
        "INVALID_STATE"
    );
}

#[test]
fn a_reject_without_reason_or_legal_basis_is_refused() {
    let err = validate_opinion(&draft(OpinionKind::Reject)).unwrap_err();
    assert_eq!(err.to_string(), "reason: a REJECT needs a reason");
    let mut reject = draft(OpinionKind::Reject);
    reject.reason = Some("选址不符合规划".into());
    assert_eq!(
        validate_opinion(&reject).unwrap_err().to_string(),
        "legalBasis: a REJECT needs its legal basis"
    );
    reject.legal_basis = Some("《城乡规划法》第四十条".into());
    assert_eq!(validate_opinion(&reject).unwrap().kind, OpinionKind::Reject);
}

#[test]
fn conditions_and_missing_items_belong_to_their_kinds() {
    assert_eq!(
        validate_opinion(&draft(OpinionKind::ApproveWithConditions))
            .unwrap_err()
            .code(),
        "INVALID_INPUT"
    );
    let mut approve = draft(OpinionKind::Approve);
    approve.conditions = vec!["x".into()];
    assert_eq!(
        validate_opinion(&approve).unwrap_err().code(),
        "INVALID_INPUT"
    );
    let mut conditional = draft(OpinionKind::ApproveWithConditions);
    conditional.conditions = vec!["开业前完成消防验收".into()];
    assert_eq!(validate_opinion(&conditional).unwrap().conditions.len(), 1);
    let err = validate_opinion(&draft(OpinionKind::NeedsSupplement)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "missingItems: NEEDS_SUPPLEMENT needs the missing items"
    );
    let mut needs = draft(OpinionKind::NeedsSupplement);
    needs.missing_items = vec!["消防设计图纸".into()];
    assert_eq!(
        validate_opinion(&needs).unwrap().missing_items,
        ["消防设计图纸"]
    );
    let mut stray = draft(OpinionKind::Approve);
    stray.missing_items = vec!["x".into()];
    assert_eq!(
        validate_opinion(&stray).unwrap_err().code(),
        "INVALID_INPUT"
    );
    assert_eq!(
        validate_opinion(&draft(OpinionKind::DeemedApproved))
            .unwrap_err()
            .code(),
        "INVALID_INPUT"
    );
    assert_eq!(
        validate_opinion(&OpinionDraft::default())
            .unwrap_err()
            .code(),
        "INVALID_INPUT"
    );
}

fn opinion(name: &str, kind: OpinionKind, conditions: &[&str]) -> MergeInput {
    MergeInput {
        department_id: Uuid::now_v7(),
        department_name: name.into(),
        kind,
        conditions: conditions.iter().map(|c| c.to_string()).collect(),
        reason: (kind == OpinionKind::Reject).then(|| "油烟净化设施未达标".to_owned()),
        legal_basis: (kind == OpinionKind::Reject)
            .then(|| "《大气污染防治法》第八十一条".to_owned()),
    }
}

fn approve(reason: Option<&str>) -> DecisionDraft {
    DecisionDraft {
        outcome: DecisionOutcome::Approved,
        reason: reason.map(str::to_owned),
        legal_basis: None,
    }
}

#[test]
fn an_approval_carries_every_condition_attributed_to_its_department() {
    let opinions = [
        opinion(
            "消防救援大队",
            OpinionKind::ApproveWithConditions,
            &["开业前完成消防验收"],
        ),
        opinion("生态环境局", OpinionKind::Approve, &[]),
        opinion(
            "卫生健康局",
            OpinionKind::ApproveWithConditions,
            &["从业人员持健康证上岗", "每年体检"],
        ),
    ];
    let decision = decide(
        CaseKind::Joint,
        CaseStatus::AwaitingDecision,
        &opinions,
        &approve(None),
    )
    .unwrap();
    assert_eq!(decision.conditions.len(), 3);
    assert_eq!(decision.conditions[0].department, "消防救援大队");
    assert_eq!(decision.conditions[2].text, "每年体检");
    assert!(decision.objections.is_empty());
}

#[test]
fn on_a_reject_the_lead_denies_with_the_objection_or_approves_over_it_with_a_reason() {
    let opinions = [
        opinion("消防救援大队", OpinionKind::Approve, &[]),
        opinion("生态环境局", OpinionKind::Reject, &[]),
    ];
    let err = decide(
        CaseKind::Joint,
        CaseStatus::AwaitingDecision,
        &opinions,
        &approve(None),
    )
    .unwrap_err();
    assert_eq!(err.code(), "INVALID_INPUT");
    let over = decide(
        CaseKind::Joint,
        CaseStatus::AwaitingDecision,
        &opinions,
        &approve(Some("已整改")),
    )
    .unwrap();
    assert_eq!(over.objections[0].department, "生态环境局");
    let deny = DecisionDraft {
        outcome: DecisionOutcome::Denied,
        reason: Some("环保不达标".into()),
        legal_basis: None,
    };
    assert_eq!(
        decide(
            CaseKind::Joint,
            CaseStatus::AwaitingDecision,
            &opinions,
            &deny
        )
        .unwrap_err()
        .code(),
        "INVALID_INPUT"
    );
    let deny = DecisionDraft {
        legal_basis: Some("《大气污染防治法》第八十一条".into()),
        ..deny
    };
    let denial = decide(
        CaseKind::Joint,
        CaseStatus::AwaitingDecision,
        &opinions,
        &deny,
    )
    .unwrap();
    assert_eq!(denial.outcome, DecisionOutcome::Denied);
    assert_eq!(denial.objections[0].reason, "油烟净化设施未达标");
}

#[test]
fn no_approval_while_a_department_waits_for_material() {
    let opinions = [opinion("消防救援大队", OpinionKind::NeedsSupplement, &[])];
    let err = decide(
        CaseKind::Joint,
        CaseStatus::AwaitingDecision,
        &opinions,
        &approve(None),
    )
    .unwrap_err();
    assert_eq!(err.code(), "INVALID_STATE");
}

#[test]
fn a_case_is_decided_only_when_ready() {
    assert_eq!(
        decide(CaseKind::Joint, CaseStatus::InReview, &[], &approve(None))
            .unwrap_err()
            .code(),
        "INVALID_STATE"
    );
    assert!(
        decide(
            CaseKind::Immediate,
            CaseStatus::Accepted,
            &[],
            &approve(None)
        )
        .is_ok()
    );
    assert_eq!(
        decide(
            CaseKind::Immediate,
            CaseStatus::Decided,
            &[],
            &approve(None)
        )
        .unwrap_err()
        .code(),
        "INVALID_STATE"
    );
    assert_eq!(
        decide(
            CaseKind::ReportedUp,
            CaseStatus::ReportedUp,
            &[],
            &approve(None)
        )
        .unwrap_err()
        .code(),
        "INVALID_STATE"
    );
}

#[test]
fn joint_reports_are_signed_by_a_leader_and_extensions_capped() {
    assert_eq!(signer_role(CaseKind::Joint), Role::Leader);
    assert_eq!(signer_role(CaseKind::Promised), Role::DeptHead);
    assert_eq!(
        (
            extension_cap(CaseKind::Joint),
            extension_cap(CaseKind::Promised)
        ),
        (15, 10)
    );
    assert!(
        may_file_report(
            CaseKind::Joint,
            CaseStatus::AwaitingDecision,
            NegativeOutcome::Denied
        )
        .is_ok()
    );
    assert!(
        may_file_report(
            CaseKind::Joint,
            CaseStatus::Received,
            NegativeOutcome::Returned
        )
        .is_ok()
    );
    assert_eq!(
        may_file_report(
            CaseKind::Joint,
            CaseStatus::InReview,
            NegativeOutcome::Denied
        )
        .unwrap_err()
        .code(),
        "INVALID_STATE"
    );
}
