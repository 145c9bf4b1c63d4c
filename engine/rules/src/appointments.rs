//! 预约 — a window's bookable slots: on working days, inside the window's office hours (or the
//! centre's), cut into slots of its length, each taking its capacity of applicants.

use crate::calendar::{OfficeHours, WorkingCalendar};
use crate::error::Result;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::collections::HashMap;

/// One slot of a window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub capacity: i32,
    pub booked: i32,
}

impl Slot {
    /// Places left.
    pub fn available(&self) -> i32 {
        (self.capacity - self.booked).max(0)
    }
}

/// A window's office hours: its own `periods`, or the centre's when it sets none.
///
/// # Errors
/// `INVALID_INPUT` when a period is malformed.
pub fn hours_of(periods: &[String], centre: &OfficeHours) -> Result<OfficeHours> {
    if periods.is_empty() {
        Ok(centre.clone())
    } else {
        OfficeHours::parse(periods)
    }
}

/// The slots of a window on the working days among `days` days from `from`, with how many of
/// each are booked (`booked`, by start).
pub fn slots(
    calendar: &WorkingCalendar,
    hours: &OfficeHours,
    slot_minutes: i32,
    capacity: i32,
    from: NaiveDate,
    days: i64,
    booked: &HashMap<DateTime<Utc>, i32>,
) -> Vec<Slot> {
    let mut out = Vec::new();
    let length = Duration::minutes(i64::from(slot_minutes.max(5)));
    for n in 0..days {
        let date = from + Duration::days(n);
        if !calendar.is_working_day(date) {
            continue;
        }
        for (open, close) in hours.periods() {
            let mut start = calendar.instant(date, *open);
            let end_of_period = calendar.instant(date, *close);
            while start + length <= end_of_period {
                out.push(Slot {
                    start,
                    end: start + length,
                    capacity,
                    booked: booked.get(&start).copied().unwrap_or(0),
                });
                start += length;
            }
        }
    }
    out
}

/// The slot of a window that starts at `start`, if it is one.
pub fn slot_at(
    calendar: &WorkingCalendar,
    hours: &OfficeHours,
    slot_minutes: i32,
    start: DateTime<Utc>,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let date = calendar.local_date(start);
    slots(calendar, hours, slot_minutes, 1, date, 1, &HashMap::new())
        .into_iter()
        .find(|s| s.start == start)
        .map(|s| (s.start, s.end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_working_day_of_default_hours_has_sixteen_half_hour_slots_and_a_saturday_none() {
        let calendar = WorkingCalendar::new(OfficeHours::standard());
        let monday = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let mut booked = HashMap::new();
        let nine = Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap();
        booked.insert(nine, 2);
        let list = slots(
            &calendar,
            &OfficeHours::standard(),
            30,
            2,
            monday,
            1,
            &booked,
        );
        assert_eq!(list.len(), 16);
        assert_eq!(
            list[0].start,
            Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap()
        );
        let full = list.iter().find(|s| s.start == nine).unwrap();
        assert_eq!(full.available(), 0);
        let saturday = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        assert!(
            slots(
                &calendar,
                &OfficeHours::standard(),
                30,
                2,
                saturday,
                1,
                &booked
            )
            .is_empty()
        );
        assert!(slot_at(&calendar, &OfficeHours::standard(), 30, nine).is_some());
        assert!(
            slot_at(
                &calendar,
                &OfficeHours::standard(),
                30,
                nine + Duration::minutes(10)
            )
            .is_none()
        );
    }
}
