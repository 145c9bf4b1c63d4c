//! When a case counts as accepted without a word (行政许可法 §32), and when a department's opinion
//! may be given and for whom.

use crate::calendar::WorkingCalendar;
use crate::enums::{CaseStatus, TaskStatus};
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Working days after receipt within which a supplement list must be issued.
pub const SUPPLEMENT_WINDOW_DAYS: u32 = 5;

/// 行政许可法 §32: a case whose supplement list (一次性告知) was not issued within five working
/// days of receipt counts as accepted on the day it was received. `notified`: a supplement notice
/// was issued.
///
/// # Errors
/// `INVALID_INPUT` when the receipt is outside the calendar's years.
pub fn accepted_on_receipt(
    calendar: &WorkingCalendar,
    received_at: DateTime<Utc>,
    notified: bool,
    now: DateTime<Utc>,
) -> Result<bool> {
    Ok(!notified && now > calendar.add_working_days(received_at, SUPPLEMENT_WINDOW_DAYS)?)
}

/// Refuses an opinion on a task that is not open, or on a case that is not in review.
///
/// # Errors
/// `INVALID_STATE` naming which.
pub fn may_give_opinion(task: TaskStatus, case: CaseStatus) -> Result<()> {
    if task != TaskStatus::Open {
        return Err(Error::InvalidState(format!(
            "this task is {task:?}; its opinion stands"
        )));
    }
    if case != CaseStatus::InReview {
        return Err(Error::InvalidState(format!(
            "the case is {case:?}; opinions are taken while it is IN_REVIEW"
        )));
    }
    Ok(())
}

/// Whom an opinion is given for (AB岗): the assignee working their own task acts for whoever
/// they already act for; anybody else (the department head) acts for the assignee.
pub fn acting_for(actor: Uuid, assignee: Uuid, assignee_acts_for: Option<Uuid>) -> Option<Uuid> {
    if actor == assignee {
        assignee_acts_for
    } else {
        Some(assignee)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::OfficeHours;
    use chrono::TimeZone;

    #[test]
    fn a_case_is_accepted_on_receipt_after_five_silent_working_days() {
        let calendar = WorkingCalendar::new(OfficeHours::standard());
        // Received Monday 2026-11-23 09:00 (Shanghai).
        let received = Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap();
        let monday_after_close = Utc.with_ymd_and_hms(2026, 11, 30, 10, 1, 0).unwrap();
        let monday_before_close = Utc.with_ymd_and_hms(2026, 11, 30, 9, 59, 0).unwrap();
        assert!(!accepted_on_receipt(&calendar, received, false, monday_before_close).unwrap());
        assert!(accepted_on_receipt(&calendar, received, false, monday_after_close).unwrap());
        assert!(!accepted_on_receipt(&calendar, received, true, monday_after_close).unwrap());
    }

    #[test]
    fn opinions_are_taken_on_open_tasks_of_cases_in_review() {
        assert!(may_give_opinion(TaskStatus::Open, CaseStatus::InReview).is_ok());
        assert_eq!(
            may_give_opinion(TaskStatus::Resolved, CaseStatus::InReview)
                .unwrap_err()
                .code(),
            "INVALID_STATE"
        );
        assert_eq!(
            may_give_opinion(TaskStatus::Open, CaseStatus::Suspended)
                .unwrap_err()
                .code(),
            "INVALID_STATE"
        );
    }

    #[test]
    fn the_head_acts_for_the_assignee_and_a_b_holder_keeps_acting_for_a() {
        let (a, b, head) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        assert_eq!(acting_for(b, b, Some(a)), Some(a));
        assert_eq!(acting_for(a, a, None), None);
        assert_eq!(acting_for(head, b, Some(a)), Some(b));
    }
}
