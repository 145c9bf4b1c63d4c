//! 工作日历 — which days are working days and when the office is open (SPEC §4).
//!
//! Pure: no database, no clock. All arithmetic happens in the centre's time zone
//! (Asia/Shanghai) whatever the machine's time zone is; instants in and out are UTC.

use crate::error::{Error, Result};
use chrono::{
    DateTime, Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use std::collections::BTreeMap;

/// The centre's time zone.
pub const CENTRE_TZ: Tz = chrono_tz::Asia::Shanghai;

/// How far the calendar looks for a working day before giving up (a calendar with no working
/// day in ten years is broken, not busy).
const MAX_DAYS_SCANNED: u32 = 3660;

/// Office hours of one working day: ordered, non-overlapping periods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficeHours {
    periods: Vec<(NaiveTime, NaiveTime)>,
}

impl OfficeHours {
    /// Builds office hours from `"HH:MM-HH:MM"` periods.
    ///
    /// # Errors
    /// `INVALID_INPUT` when a period is malformed, empty, or overlaps the one before it.
    pub fn parse(periods: &[String]) -> Result<Self> {
        if periods.is_empty() {
            return Err(Error::invalid(
                "office_hours",
                "at least one period is needed",
            ));
        }
        let mut parsed: Vec<(NaiveTime, NaiveTime)> = Vec::with_capacity(periods.len());
        for text in periods {
            let bad = || Error::invalid("office_hours", format!("`{text}` is not HH:MM-HH:MM"));
            let (open, close) = text.split_once('-').ok_or_else(bad)?;
            let open = NaiveTime::parse_from_str(open.trim(), "%H:%M").map_err(|_| bad())?;
            let close = NaiveTime::parse_from_str(close.trim(), "%H:%M").map_err(|_| bad())?;
            if open >= close {
                return Err(Error::invalid(
                    "office_hours",
                    format!("`{text}` closes before it opens"),
                ));
            }
            if let Some(&(_, last_close)) = parsed.last()
                && open < last_close
            {
                return Err(Error::invalid(
                    "office_hours",
                    format!("`{text}` overlaps or precedes the period before it"),
                ));
            }
            parsed.push((open, close));
        }
        Ok(OfficeHours { periods: parsed })
    }

    /// The default hours: 08:00–12:00 and 14:00–18:00.
    pub fn standard() -> Self {
        let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap_or(NaiveTime::MIN);
        OfficeHours {
            periods: vec![(t(8), t(12)), (t(14), t(18))],
        }
    }

    /// The periods, in order.
    pub fn periods(&self) -> &[(NaiveTime, NaiveTime)] {
        &self.periods
    }

    /// When the last period of the day closes.
    pub fn closing(&self) -> NaiveTime {
        self.periods
            .last()
            .map_or(NaiveTime::MIN, |&(_, close)| close)
    }
}

/// What kind of day a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    /// An ordinary Monday–Friday.
    Working,
    /// An ordinary Saturday or Sunday.
    Weekend,
    /// A statutory holiday (法定节假日), even if it falls on a weekday.
    Holiday,
    /// A make-up working day (调休补班), even if it falls on a weekend.
    MakeUp,
}

impl DayKind {
    /// Whether the office works on a day of this kind.
    pub fn is_working(self) -> bool {
        matches!(self, DayKind::Working | DayKind::MakeUp)
    }
}

/// 工作日历 — working days and office hours of one centre.
#[derive(Debug, Clone)]
pub struct WorkingCalendar {
    hours: OfficeHours,
    /// Dates whose kind differs from the Monday–Friday rule.
    overrides: BTreeMap<NaiveDate, DayKind>,
}

impl WorkingCalendar {
    /// A calendar of Monday–Friday working days with the given office hours.
    pub fn new(hours: OfficeHours) -> Self {
        WorkingCalendar {
            hours,
            overrides: BTreeMap::new(),
        }
    }

    /// The office hours.
    pub fn hours(&self) -> &OfficeHours {
        &self.hours
    }

    /// The kind of `date`.
    pub fn day_kind(&self, date: NaiveDate) -> DayKind {
        if let Some(kind) = self.overrides.get(&date) {
            return *kind;
        }
        match date.weekday() {
            Weekday::Sat | Weekday::Sun => DayKind::Weekend,
            _ => DayKind::Working,
        }
    }

    /// Whether `date` is a working day.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.day_kind(date).is_working()
    }

    /// The centre-local date of an instant.
    pub fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&CENTRE_TZ).date_naive()
    }

    /// The instant of a centre-local date and time.
    pub fn instant(&self, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
        let local = NaiveDateTime::new(date, time);
        // Asia/Shanghai has no daylight saving, so every local time maps to one instant.
        CENTRE_TZ
            .from_local_datetime(&local)
            .earliest()
            .map_or_else(|| Utc.from_utc_datetime(&local), |t| t.with_timezone(&Utc))
    }

    /// The close of office hours on `date`.
    pub fn close_of(&self, date: NaiveDate) -> DateTime<Utc> {
        self.instant(date, self.hours.closing())
    }

    /// The `n`th working day after `date` (the date itself is not counted).
    ///
    /// # Errors
    /// `INVALID_INPUT` when no such day exists within ten years.
    pub fn nth_working_day_after(&self, date: NaiveDate, n: u32) -> Result<NaiveDate> {
        let mut day = date;
        let mut counted = 0;
        let mut scanned = 0;
        while counted < n {
            day = day
                .checked_add_days(Days::new(1))
                .ok_or_else(|| Error::invalid("budget", "runs past the end of the calendar"))?;
            scanned += 1;
            if scanned > MAX_DAYS_SCANNED + n {
                return Err(Error::invalid(
                    "budget",
                    "no working day found within ten years",
                ));
            }
            if self.is_working_day(day) {
                counted += 1;
            }
        }
        Ok(day)
    }

    /// N working days after `start`: the day of `start` is not counted, and the limit ends at
    /// the close of office hours of the Nth working day after it (SPEC §4).
    ///
    /// # Errors
    /// `INVALID_INPUT` when the result falls outside the calendar.
    pub fn add_working_days(&self, start: DateTime<Utc>, n: u32) -> Result<DateTime<Utc>> {
        let day = self.nth_working_day_after(self.local_date(start), n)?;
        Ok(self.close_of(day))
    }

    /// N working minutes after `start`, counting only inside office hours of working days
    /// (accepted 11:50 with 30 minutes → due 14:20 with the default hours).
    ///
    /// # Errors
    /// `INVALID_INPUT` when the result falls outside the calendar.
    pub fn add_working_minutes(&self, start: DateTime<Utc>, n: u32) -> Result<DateTime<Utc>> {
        let mut remaining = chrono::Duration::minutes(i64::from(n));
        let mut date = self.local_date(start);
        for _ in 0..MAX_DAYS_SCANNED {
            if self.is_working_day(date) {
                for &(open, close) in self.hours.periods() {
                    let (open, close) = (self.instant(date, open), self.instant(date, close));
                    let from = open.max(start);
                    if from >= close {
                        continue;
                    }
                    let available = close - from;
                    if remaining <= available {
                        return Ok(from + remaining);
                    }
                    remaining -= available;
                }
            }
            date = date
                .checked_add_days(Days::new(1))
                .ok_or_else(|| Error::invalid("budget", "runs past the end of the calendar"))?;
        }
        Err(Error::invalid(
            "budget",
            "no office hours found within ten years",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal() -> WorkingCalendar {
        WorkingCalendar::new(OfficeHours::standard())
    }

    /// A Shanghai-local instant.
    fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        cal().instant(
            NaiveDate::from_ymd_opt(y, m, d).unwrap(),
            NaiveTime::from_hms_opt(h, min, 0).unwrap(),
        )
    }

    #[test]
    fn thirty_minutes_from_eleven_fifty_end_at_fourteen_twenty() {
        // Monday 2026-11-23.
        let due = cal()
            .add_working_minutes(local(2026, 11, 23, 11, 50), 30)
            .unwrap();
        assert_eq!(due, local(2026, 11, 23, 14, 20));
    }

    #[test]
    fn thirty_minutes_from_friday_seventeen_fifty_end_monday_eight_twenty() {
        let due = cal()
            .add_working_minutes(local(2026, 11, 27, 17, 50), 30)
            .unwrap();
        assert_eq!(due, local(2026, 11, 30, 8, 20));
    }

    #[test]
    fn minutes_before_opening_start_counting_at_opening() {
        let due = cal()
            .add_working_minutes(local(2026, 11, 23, 6, 0), 30)
            .unwrap();
        assert_eq!(due, local(2026, 11, 23, 8, 30));
    }

    #[test]
    fn the_day_of_acceptance_is_not_counted() {
        // Accepted Monday morning; 1 working day ends Tuesday 18:00.
        let due = cal()
            .add_working_days(local(2026, 11, 23, 9, 0), 1)
            .unwrap();
        assert_eq!(due, local(2026, 11, 24, 18, 0));
    }

    #[test]
    fn working_days_skip_the_weekend() {
        // Accepted Thursday; 5 working days: Fri, Mon, Tue, Wed, Thu → Thursday 18:00.
        let due = cal()
            .add_working_days(local(2026, 11, 26, 15, 0), 5)
            .unwrap();
        assert_eq!(due, local(2026, 12, 3, 18, 0));
    }

    #[test]
    fn office_hours_must_be_well_formed() {
        let bad = |p: &[&str]| {
            let p: Vec<String> = p.iter().map(|s| s.to_string()).collect();
            OfficeHours::parse(&p).unwrap_err().code()
        };
        assert_eq!(bad(&[]), "INVALID_INPUT");
        assert_eq!(bad(&["8-12"]), "INVALID_INPUT");
        assert_eq!(bad(&["12:00-08:00"]), "INVALID_INPUT");
        assert_eq!(bad(&["08:00-12:00", "11:00-18:00"]), "INVALID_INPUT");
        let ok = OfficeHours::parse(&["08:30-12:00".into(), "13:30-17:30".into()]).unwrap();
        assert_eq!(ok.closing(), NaiveTime::from_hms_opt(17, 30, 0).unwrap());
    }
}
