//! Pure rules of complaints (SPEC §7): who sees the complainant, when the reply is due and how
//! late it came.

use crate::calendar::WorkingCalendar;
use crate::error::Result;
use crate::policy::Actor;
use crate::roles::Role;
use chrono::{DateTime, Utc};

/// Working days a department has to reply (SPEC §7 default).
pub const REPLY_WORKING_DAYS: i64 = 5;

/// Whether `actor` may see who complained: the centre admin and supervisors only.
pub fn sees_complainant(actor: &Actor) -> bool {
    actor.has(Role::CenterAdmin) || actor.has(Role::Supervisor)
}

/// When a complaint filed at `filed_at` must be replied to.
///
/// # Errors
/// `INVALID_INPUT` outside the calendar's range.
pub fn reply_due(calendar: &WorkingCalendar, filed_at: DateTime<Utc>) -> Result<DateTime<Utc>> {
    calendar.add_working_seconds(filed_at, REPLY_WORKING_DAYS * calendar.day_seconds())
}

/// Working days a reply at `at` came after `due`, a started day counting whole (0 when on time).
///
/// # Errors
/// `INVALID_INPUT` outside the calendar's range.
pub fn late_working_days(
    calendar: &WorkingCalendar,
    due: DateTime<Utc>,
    at: DateTime<Utc>,
) -> Result<i32> {
    if at <= due {
        return Ok(0);
    }
    let seconds = calendar.working_seconds_between(due, at)?;
    let day = calendar.day_seconds();
    Ok(i32::try_from((seconds + day - 1) / day).unwrap_or(i32::MAX))
}

/// The scoring rule a verified complaint of `category` falls under, if any.
pub fn rule_for(category: crate::enums::ComplaintCategory) -> Option<&'static str> {
    use crate::enums::ComplaintCategory;
    match category {
        ComplaintCategory::Attitude => Some(crate::scoring::COMPLAINT_ATTITUDE),
        ComplaintCategory::Result => Some(crate::scoring::UNSATISFIED_RESULT),
        ComplaintCategory::Other => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{OfficeHours, YearSchedule, schedule};
    use chrono::TimeZone;

    fn cal() -> WorkingCalendar {
        let years: Vec<(YearSchedule, i32)> = schedule::shipped()
            .unwrap()
            .into_iter()
            .map(|y| (y, 0))
            .collect();
        WorkingCalendar::with_years(OfficeHours::standard(), &years)
    }

    /// A Shanghai-local instant.
    fn local(m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, m, d, h, min, 0).unwrap() - chrono::Duration::hours(8)
    }

    #[test]
    fn a_complaint_filed_on_monday_is_due_the_next_monday_and_each_started_day_late_counts() {
        let cal = cal();
        let due = reply_due(&cal, local(11, 23, 9, 0)).unwrap();
        assert_eq!(due, local(11, 30, 9, 0));
        assert_eq!(
            late_working_days(&cal, due, local(11, 30, 9, 0)).unwrap(),
            0
        );
        assert_eq!(
            late_working_days(&cal, due, local(11, 30, 9, 1)).unwrap(),
            1
        );
        assert_eq!(late_working_days(&cal, due, local(12, 2, 9, 0)).unwrap(), 2);
        // The weekend between does not count.
        assert_eq!(
            late_working_days(&cal, due, local(12, 7, 8, 30)).unwrap(),
            5
        );
    }
}
