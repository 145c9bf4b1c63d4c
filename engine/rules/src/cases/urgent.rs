//! 急事急办 — which cases may be marked urgent, and their shorter review limit.

use crate::enums::{CaseStatus, SuspensionKind};

/// The review limit of an urgent case's task: the matter's urgent limit when it is shorter.
pub fn review_limit(normal: i32, urgent: Option<i32>) -> i32 {
    urgent.filter(|u| *u >= 1).map_or(normal, |u| u.min(normal))
}

/// Whether a case in `status` may still be marked urgent: from receipt until its decision.
pub fn may_mark_urgent(status: CaseStatus) -> bool {
    matches!(
        status,
        CaseStatus::Received
            | CaseStatus::SupplementRequired
            | CaseStatus::Accepted
            | CaseStatus::InReview
            | CaseStatus::Suspended
            | CaseStatus::ReportedUp
    )
}

/// A special procedure's Chinese name, as a pause of the clock is labelled with it.
pub fn procedure_name(kind: SuspensionKind) -> &'static str {
    match kind {
        SuspensionKind::Supplement => "补正材料",
        SuspensionKind::Hearing => "听证",
        SuspensionKind::ExpertReview => "专家评审",
        SuspensionKind::Testing => "检验检测",
        SuspensionKind::Inspection => "检查",
        SuspensionKind::PublicNotice => "公示",
        SuspensionKind::SiteSurvey => "现场勘验",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_urgent_limit_only_ever_shortens() {
        assert_eq!(review_limit(5, Some(2)), 2);
        assert_eq!(review_limit(5, Some(9)), 5);
        assert_eq!(
            review_limit(5, Some(0)),
            5,
            "a zero urgent limit is not set"
        );
        assert_eq!(review_limit(5, None), 5);
    }

    #[test]
    fn a_decided_case_is_no_longer_marked_urgent() {
        assert!(may_mark_urgent(CaseStatus::InReview));
        assert!(!may_mark_urgent(CaseStatus::Decided));
        assert!(!may_mark_urgent(CaseStatus::Archived));
    }
}
