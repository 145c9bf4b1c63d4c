//! The scoring rules of SPEC §7 that are not points: which rule a cause falls under, and when a
//! staff member is ineligible for awards. Pure.

use crate::calendar::WorkingCalendar;
use crate::error::Result;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// −5 per case over its promised limit (each department answers for its own clock).
pub const CASE_OVERDUE: &str = "CASE_OVERDUE";
/// −4 per working day a complaint's reply came late.
pub const COMPLAINT_LATE_DAY: &str = "COMPLAINT_LATE_DAY";
/// −3 per verified complaint about attitude.
pub const COMPLAINT_ATTITUDE: &str = "COMPLAINT_ATTITUDE";
/// −2 per verified unsatisfied result (a verified complaint about the result, or a bad review).
pub const UNSATISFIED_RESULT: &str = "UNSATISFIED_RESULT";
/// +5 per matter moved from promised to immediate.
pub const MATTER_MADE_IMMEDIATE: &str = "MATTER_MADE_IMMEDIATE";
/// +5 per matter whose promised limit is shortened.
pub const LIMIT_SHORTENED: &str = "LIMIT_SHORTENED";
/// +2 per written thanks.
pub const WRITTEN_THANKS: &str = "WRITTEN_THANKS";

/// Overdue cases in a year that make a staff member ineligible.
pub const OVERDUE_CASES_PER_YEAR: usize = 3;
/// Two verified complaints within this many working days make a staff member ineligible.
pub const COMPLAINT_WINDOW_DAYS: i64 = 22;

/// Why a staff member is ineligible for awards this year, in the words of SPEC §7; empty when
/// eligible. `overdue` counts the year's overdue cases; `complaints` are the instants of the
/// year's verified complaints against them.
///
/// # Errors
/// `INVALID_INPUT` when an instant falls outside the calendar.
pub fn ineligibility(
    calendar: &WorkingCalendar,
    overdue: usize,
    complaints: &[DateTime<Utc>],
) -> Result<Vec<String>> {
    let mut reasons = Vec::new();
    if overdue >= OVERDUE_CASES_PER_YEAR {
        reasons.push(format!("本年度超期办件{overdue}件（3件及以上）"));
    }
    let mut sorted = complaints.to_vec();
    sorted.sort();
    let window = COMPLAINT_WINDOW_DAYS * calendar.day_seconds();
    for pair in sorted.windows(2) {
        if calendar.working_seconds_between(pair[0], pair[1])? <= window {
            reasons.push("22个工作日内被有效投诉2次".to_owned());
            break;
        }
    }
    Ok(reasons)
}

/// A score entry to write.
#[derive(Debug, Clone)]
pub struct NewScore {
    /// Unique per cause and rule, e.g. `CASE_OVERDUE:<clock id>`.
    pub cause_key: String,
    pub rule: &'static str,
    /// How many times the rule applies (working days late; 1 otherwise).
    pub times: i32,
    pub department_id: Uuid,
    pub staff_id: Option<Uuid>,
    /// The event kind of the cause.
    pub cause_kind: &'static str,
    pub case_id: Option<Uuid>,
    pub task_id: Option<Uuid>,
    pub complaint_id: Option<Uuid>,
    pub evaluation_id: Option<Uuid>,
    pub reason: String,
    pub recorded_by: Option<Uuid>,
    pub occurred_at: DateTime<Utc>,
}

impl NewScore {
    /// An entry for `rule` caused by `cause_kind`, keyed `RULE:<subject>`.
    pub fn new(
        rule: &'static str,
        subject: Uuid,
        cause_kind: &'static str,
        department_id: Uuid,
        occurred_at: DateTime<Utc>,
        reason: String,
    ) -> Self {
        NewScore {
            cause_key: format!("{rule}:{subject}"),
            rule,
            times: 1,
            department_id,
            staff_id: None,
            cause_kind,
            case_id: None,
            task_id: None,
            complaint_id: None,
            evaluation_id: None,
            reason,
            recorded_by: None,
            occurred_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::OfficeHours;
    use chrono::{NaiveDate, NaiveTime};

    fn day(calendar: &WorkingCalendar, m: u32, d: u32) -> DateTime<Utc> {
        calendar.instant(
            NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default(),
            NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default(),
        )
    }

    #[test]
    fn three_overdue_cases_in_a_year_make_a_staff_member_ineligible_two_do_not() {
        let cal = WorkingCalendar::new(OfficeHours::standard());
        assert!(ineligibility(&cal, 2, &[]).unwrap_or_default().is_empty());
        assert_eq!(ineligibility(&cal, 3, &[]).unwrap_or_default().len(), 1);
    }

    #[test]
    fn two_verified_complaints_within_22_working_days_make_a_staff_member_ineligible() {
        let cal = WorkingCalendar::new(OfficeHours::standard());
        // Mon 2 Nov → Wed 2 Dec is 22 working days on a Monday-to-Friday calendar.
        let within = [day(&cal, 11, 2), day(&cal, 12, 2)];
        assert_eq!(ineligibility(&cal, 0, &within).unwrap_or_default().len(), 1);
        let apart = [day(&cal, 11, 2), day(&cal, 12, 3)];
        assert!(
            ineligibility(&cal, 0, &apart)
                .unwrap_or_default()
                .is_empty()
        );
        assert!(
            ineligibility(&cal, 0, &within[..1])
                .unwrap_or_default()
                .is_empty()
        );
    }
}
