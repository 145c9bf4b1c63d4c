use super::*;

fn draft(kind: OpinionKind) -> OpinionDraft {
    OpinionDraft {
        kind: Some(kind),
        ..OpinionDraft::default()
    }
}

#[test]
fn only_a_received_case_of_a_reviewed_kind_is_accepted() {
    assert_eq!(
        accept(CaseKind::Joint, CaseStatus::Received).unwrap(),
        Acceptance::FanOut
    );
    assert_eq!(
        accept(CaseKind::Promised, CaseStatus::Received).unwrap(),
        Acceptance::LeadReview
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
fn conditions_belong_only_to_a_conditional_approval() {
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
    }
}

fn approve(reason: Option<&str>) -> DecisionDraft {
    DecisionDraft {
        outcome: DecisionOutcome::Approved,
        reason: reason.map(str::to_owned),
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
    assert!(decision.overruled.is_empty());
}

#[test]
fn approving_over_a_reject_needs_a_written_reason() {
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
    let decision = decide(
        CaseKind::Joint,
        CaseStatus::AwaitingDecision,
        &opinions,
        &approve(Some("已整改")),
    )
    .unwrap();
    assert_eq!(decision.overruled, vec![opinions[1].department_id]);
}

#[test]
fn a_case_is_decided_only_when_ready() {
    let err = decide(CaseKind::Joint, CaseStatus::InReview, &[], &approve(None)).unwrap_err();
    assert_eq!(err.code(), "INVALID_STATE");
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
}
