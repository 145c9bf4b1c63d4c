//! 时限 — the one function every deadline in Lianban comes from.

use crate::calendar::WorkingCalendar;
use crate::enums::LimitUnit;
use crate::error::{Error, Result};
use chrono::{DateTime, Days, NaiveTime, Utc};

/// The largest budget accepted in each unit: a year of working days, a year of office minutes.
pub fn max_budget(unit: LimitUnit) -> i64 {
    match unit {
        LimitUnit::WorkingMinutes => 250 * 8 * 60,
        LimitUnit::WorkingDays => 250,
        LimitUnit::NaturalDays => 366,
    }
}

/// When a limit of `budget` `unit`s that starts at `start` runs out.
///
/// - working minutes count only inside office hours;
/// - working days do not count the day of `start` and end at the close of office hours of the
///   Nth working day after it;
/// - natural days do not count the day of `start` and end at midnight after the Nth day.
///
/// # Errors
/// `INVALID_INPUT` for a budget that is not positive or is absurdly large.
pub fn due_at(
    calendar: &WorkingCalendar,
    start: DateTime<Utc>,
    unit: LimitUnit,
    budget: i64,
) -> Result<DateTime<Utc>> {
    if budget <= 0 || budget > max_budget(unit) {
        return Err(Error::invalid(
            "budget",
            format!("must be between 1 and {} for {unit:?}", max_budget(unit)),
        ));
    }
    let n = u32::try_from(budget).map_err(|_| Error::invalid("budget", "too large"))?;
    match unit {
        LimitUnit::WorkingMinutes => calendar.add_working_minutes(start, n),
        LimitUnit::WorkingDays => calendar.add_working_days(start, n),
        LimitUnit::NaturalDays => {
            let day = calendar
                .local_date(start)
                .checked_add_days(Days::new(u64::from(n) + 1))
                .ok_or_else(|| Error::invalid("budget", "runs past the end of the calendar"))?;
            Ok(calendar.instant(day, NaiveTime::MIN))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::OfficeHours;
    use chrono::NaiveDate;

    #[test]
    fn budgets_must_be_positive_and_sane() {
        let cal = WorkingCalendar::new(OfficeHours::standard());
        let start = cal.instant(
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
        );
        for (unit, budget) in [
            (LimitUnit::WorkingDays, 0),
            (LimitUnit::WorkingDays, -3),
            (LimitUnit::WorkingDays, 10_000),
            (LimitUnit::WorkingMinutes, 10_000_000),
        ] {
            assert_eq!(
                due_at(&cal, start, unit, budget).unwrap_err().code(),
                "INVALID_INPUT"
            );
        }
        let natural = due_at(&cal, start, LimitUnit::NaturalDays, 2).unwrap();
        assert_eq!(
            natural,
            cal.instant(
                NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
                NaiveTime::MIN
            )
        );
    }
}
