//! Every (kind, status, action): the allowed ones move where SPEC §3 says; every other one is
//! refused with INVALID_STATE.

use super::*;
use crate::enums::{CaseKind as K, CaseStatus as S};

fn actions() -> Vec<Action> {
    let mut all = vec![
        Action::Answer,
        Action::RequestSupplementBeforeAcceptance,
        Action::ResubmitBeforeAcceptance,
        Action::Accept,
        Action::Suspend,
        Action::TasksResolved,
        Action::Approve,
        Action::SignDenial,
        Action::SignNotAccepted,
        Action::SignReturn,
        Action::ReportUp,
        Action::RecordUpperAnswer,
        Action::Deliver,
        Action::Archive,
        Action::Withdraw,
    ];
    all.extend(S::ALL.into_iter().map(Action::Resume));
    all
}

/// The spec, restated: every allowed move.
fn allowed(kind: K, status: S, action: Action) -> Option<S> {
    use Action as A;
    let reviewed = [K::Promised, K::Joint, K::Petition].contains(&kind);
    let open = [
        S::Received,
        S::SupplementRequired,
        S::Accepted,
        S::InReview,
        S::Suspended,
        S::AwaitingDecision,
        S::ReportedUp,
    ];
    if action == A::Withdraw {
        return open.contains(&status).then_some(S::Withdrawn);
    }
    let table: Vec<(bool, S, A, S)> = vec![
        (kind == K::Consultation, S::Received, A::Answer, S::Answered),
        (
            kind != K::Consultation,
            S::Received,
            A::RequestSupplementBeforeAcceptance,
            S::SupplementRequired,
        ),
        (
            true,
            S::SupplementRequired,
            A::ResubmitBeforeAcceptance,
            S::Received,
        ),
        (kind == K::Immediate, S::Received, A::Accept, S::Accepted),
        (
            kind != K::Immediate && kind != K::Consultation,
            S::Received,
            A::Accept,
            S::InReview,
        ),
        (
            kind != K::Consultation,
            S::Received,
            A::SignNotAccepted,
            S::NotAccepted,
        ),
        (
            kind != K::Consultation,
            S::SupplementRequired,
            A::SignNotAccepted,
            S::NotAccepted,
        ),
        (
            kind != K::Consultation,
            S::Received,
            A::SignReturn,
            S::Returned,
        ),
        (kind != K::Immediate, S::InReview, A::Suspend, S::Suspended),
        (
            kind != K::Immediate,
            S::AwaitingDecision,
            A::Suspend,
            S::Suspended,
        ),
        (true, S::Suspended, A::Resume(S::InReview), S::InReview),
        (
            true,
            S::Suspended,
            A::Resume(S::AwaitingDecision),
            S::AwaitingDecision,
        ),
        (reviewed, S::InReview, A::TasksResolved, S::AwaitingDecision),
        (kind == K::Immediate, S::Accepted, A::Approve, S::Decided),
        (kind == K::Immediate, S::Accepted, A::SignDenial, S::Decided),
        (reviewed, S::AwaitingDecision, A::Approve, S::Decided),
        (reviewed, S::AwaitingDecision, A::SignDenial, S::Decided),
        (
            kind == K::ReportedUp,
            S::InReview,
            A::ReportUp,
            S::ReportedUp,
        ),
        (true, S::ReportedUp, A::RecordUpperAnswer, S::Decided),
        (true, S::Decided, A::Deliver, S::Delivered),
        (true, S::Answered, A::Archive, S::Archived),
        (true, S::Returned, A::Archive, S::Archived),
        (true, S::NotAccepted, A::Archive, S::Archived),
        (true, S::Withdrawn, A::Archive, S::Archived),
        (true, S::Delivered, A::Archive, S::Archived),
    ];
    table
        .into_iter()
        .find(|(applies, from, a, _)| *applies && *from == status && *a == action)
        .map(|(_, _, _, to)| to)
}

#[test]
fn every_allowed_transition_moves_where_the_spec_says_and_every_other_is_refused() {
    let mut allowed_count = 0;
    let mut refused_count = 0;
    for kind in K::ALL.into_iter() {
        for status in S::ALL.into_iter() {
            for action in actions() {
                match (
                    allowed(kind, status, action),
                    transition(kind, status, action),
                ) {
                    (Some(expected), Ok(got)) => {
                        assert_eq!(got, expected, "{kind:?} {status:?} {action:?}");
                        allowed_count += 1;
                    }
                    (None, Err(err)) => {
                        assert_eq!(
                            err.code(),
                            "INVALID_STATE",
                            "{kind:?} {status:?} {action:?}"
                        );
                        refused_count += 1;
                    }
                    (expected, got) => {
                        panic!("{kind:?} {status:?} {action:?}: expected {expected:?}, got {got:?}")
                    }
                }
            }
        }
    }
    assert!(
        allowed_count > 100 && refused_count > 2000,
        "{allowed_count} allowed, {refused_count} refused"
    );
}

#[test]
fn a_withdrawn_or_archived_case_goes_nowhere_but_the_archive() {
    for action in actions() {
        assert!(
            transition(K::Joint, S::Archived, action).is_err(),
            "{action:?}"
        );
        let from_withdrawn = transition(K::Joint, S::Withdrawn, action);
        assert_eq!(
            from_withdrawn.is_ok(),
            action == Action::Archive,
            "{action:?}"
        );
    }
}
