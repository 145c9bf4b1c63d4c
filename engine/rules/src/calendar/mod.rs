//! 工作日历 — which days are working days and when the office is open (SPEC §4).
//!
//! Pure: no database, no clock. All arithmetic happens in the centre's time zone
//! (Asia/Shanghai), whatever the machine's time zone; instants in and out are UTC.
//!
//! Every instant has a *position* on the office-time axis: the office seconds of all working
//! days before its date, plus the office seconds already passed on its date. Working time
//! between two instants is the difference of their positions, and adding working time is
//! finding the earliest instant at a position — both O(1) over a table of 1990–2109.

mod hours;
pub mod schedule;

pub use hours::OfficeHours;
pub use schedule::{NamedDay, YearSchedule, YearText};

use crate::error::{Error, Result};
use chrono::{
    DateTime, Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use std::collections::BTreeMap;

/// The centre's time zone.
pub const CENTRE_TZ: Tz = chrono_tz::Asia::Shanghai;

const FIRST_YEAR: i32 = 1990;
const LAST_YEAR: i32 = 2109;

/// The centre-local date of an instant.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&CENTRE_TZ).date_naive()
}

/// What kind of day a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    /// An ordinary Monday–Friday.
    Working,
    /// An ordinary Saturday or Sunday.
    Weekend,
    /// A day off of a statutory holiday (法定节假日).
    Holiday,
    /// A make-up working day (调休补班) on a weekend.
    MakeUp,
}

impl DayKind {
    /// Whether the office works on a day of this kind.
    pub fn is_working(self) -> bool {
        matches!(self, DayKind::Working | DayKind::MakeUp)
    }
}

/// Where a year's schedule comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearSource {
    /// The notice or data package.
    pub source: String,
    /// 0 for the shipped data; 1, 2, … for a centre admin's versions.
    pub version: i32,
}

/// 工作日历 — working days and office hours of one centre.
#[derive(Debug, Clone)]
pub struct WorkingCalendar {
    hours: OfficeHours,
    day_seconds: i64,
    first: NaiveDate,
    kinds: Vec<DayKind>,
    /// `ordinal[i]`: working days strictly before day `i` (one extra entry at the end).
    ordinal: Vec<u32>,
    /// Day indexes of the working days, in order.
    working: Vec<u32>,
    names: BTreeMap<NaiveDate, String>,
    years: BTreeMap<i32, YearSource>,
}

fn out_of_range(date: NaiveDate) -> Error {
    Error::invalid(
        "date",
        format!("{date} is outside the calendar ({FIRST_YEAR}–{LAST_YEAR})"),
    )
}

impl WorkingCalendar {
    /// A calendar with no published schedule: Monday–Friday everywhere (every year provisional).
    pub fn new(hours: OfficeHours) -> Self {
        Self::with_years(hours, &[])
    }

    /// A calendar of Monday–Friday, minus the holidays and plus the make-up days of `years`
    /// (a later entry for the same year replaces an earlier one), each with its version.
    pub fn with_years(hours: OfficeHours, years: &[(YearSchedule, i32)]) -> Self {
        let first = NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1).unwrap_or(NaiveDate::MIN);
        let last = NaiveDate::from_ymd_opt(LAST_YEAR, 12, 31).unwrap_or(NaiveDate::MIN);
        let mut by_year: BTreeMap<i32, (&YearSchedule, i32)> = BTreeMap::new();
        for (schedule, version) in years {
            by_year.insert(schedule.year, (schedule, *version));
        }
        let mut special: BTreeMap<NaiveDate, DayKind> = BTreeMap::new();
        let mut names = BTreeMap::new();
        let mut sources = BTreeMap::new();
        for (year, (schedule, version)) in &by_year {
            for day in &schedule.holidays {
                special.insert(day.date, DayKind::Holiday);
                names.insert(day.date, day.name.clone());
            }
            for day in &schedule.make_up_days {
                special.insert(day.date, DayKind::MakeUp);
                names.insert(day.date, day.name.clone());
            }
            sources.insert(
                *year,
                YearSource {
                    source: schedule.source.clone(),
                    version: *version,
                },
            );
        }
        let days = usize::try_from((last - first).num_days() + 1).unwrap_or(0);
        let mut kinds = Vec::with_capacity(days);
        let mut ordinal = Vec::with_capacity(days + 1);
        let mut working = Vec::with_capacity(days * 5 / 7 + 1);
        let mut date = first;
        let mut count: u32 = 0;
        for i in 0..days {
            let kind = special.get(&date).copied().unwrap_or(match date.weekday() {
                Weekday::Sat | Weekday::Sun => DayKind::Weekend,
                _ => DayKind::Working,
            });
            kinds.push(kind);
            ordinal.push(count);
            if kind.is_working() {
                working.push(u32::try_from(i).unwrap_or(u32::MAX));
                count += 1;
            }
            date = date.succ_opt().unwrap_or(date);
        }
        ordinal.push(count);
        let day_seconds = hours.day_seconds();
        WorkingCalendar {
            hours,
            day_seconds,
            first,
            kinds,
            ordinal,
            working,
            names,
            years: sources,
        }
    }

    /// The office hours.
    pub fn hours(&self) -> &OfficeHours {
        &self.hours
    }

    /// Office seconds in one working day.
    pub fn day_seconds(&self) -> i64 {
        self.day_seconds
    }

    /// The years with a published schedule, and where each comes from.
    pub fn years(&self) -> &BTreeMap<i32, YearSource> {
        &self.years
    }

    fn index(&self, date: NaiveDate) -> Option<usize> {
        let i = (date - self.first).num_days();
        usize::try_from(i).ok().filter(|&i| i < self.kinds.len())
    }

    fn date_of(&self, index: usize) -> NaiveDate {
        self.first
            .checked_add_days(Days::new(index as u64))
            .unwrap_or(self.first)
    }

    /// The kind of `date` (dates outside 1990–2109 follow the Monday–Friday rule).
    pub fn day_kind(&self, date: NaiveDate) -> DayKind {
        match self.index(date) {
            Some(i) => self.kinds[i],
            None => match date.weekday() {
                Weekday::Sat | Weekday::Sun => DayKind::Weekend,
                _ => DayKind::Working,
            },
        }
    }

    /// The holiday a date belongs to, if any.
    pub fn day_name(&self, date: NaiveDate) -> Option<&str> {
        self.names.get(&date).map(String::as_str)
    }

    /// Whether `date` is a working day.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.day_kind(date).is_working()
    }

    /// Whether `year` has no published schedule, so its days are only Monday–Friday guesses.
    pub fn is_provisional(&self, year: i32) -> bool {
        !self.years.contains_key(&year)
    }

    /// The years between two instants (inclusive) that have no published schedule.
    pub fn provisional_years(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<i32> {
        let (a, b) = (
            self.local_date(from.min(to)).year(),
            self.local_date(from.max(to)).year(),
        );
        (a..=b).filter(|y| self.is_provisional(*y)).collect()
    }

    /// The centre-local date of an instant.
    pub fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&CENTRE_TZ).date_naive()
    }

    /// The instant of a centre-local date and time.
    pub fn instant(&self, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
        let local = NaiveDateTime::new(date, time);
        CENTRE_TZ
            .from_local_datetime(&local)
            .earliest()
            .map_or_else(|| Utc.from_utc_datetime(&local), |t| t.with_timezone(&Utc))
    }

    /// Whether the office is open at `at`: a working day, inside one of its periods (the close
    /// of a period is outside it).
    pub fn is_open(&self, at: DateTime<Utc>) -> bool {
        let local = at.with_timezone(&CENTRE_TZ);
        self.is_working_day(local.date_naive())
            && self
                .hours
                .periods()
                .iter()
                .any(|(from, to)| *from <= local.time() && local.time() < *to)
    }

    /// The working day before `date` (not counting it), within a year's search.
    pub fn working_day_before(&self, date: NaiveDate) -> Option<NaiveDate> {
        (1..=366)
            .filter_map(|n| date.checked_sub_days(chrono::Days::new(n)))
            .find(|d| self.is_working_day(*d))
    }

    /// The close of office hours on `date`.
    pub fn close_of(&self, date: NaiveDate) -> DateTime<Utc> {
        self.instant(date, self.hours.closing())
    }

    /// The first moment at or after `at` when the office is open.
    ///
    /// # Errors
    /// `INVALID_INPUT` outside the calendar's years.
    pub fn next_opening(&self, at: DateTime<Utc>) -> Result<DateTime<Utc>> {
        let local = at.with_timezone(&CENTRE_TZ);
        let date = local.date_naive();
        if self.is_working_day(date)
            && let Some(time) = self.hours.next_opening(local.time())
        {
            return Ok(if time == local.time() {
                at
            } else {
                self.instant(date, time)
            });
        }
        let day = self.nth_working_day_after(date, 1)?;
        Ok(self.instant(day, self.hours.opening()))
    }

    /// The `n`th working day after `date` (the date itself is not counted; `n ≥ 1`).
    ///
    /// # Errors
    /// `INVALID_INPUT` when the answer falls outside the calendar.
    pub fn nth_working_day_after(&self, date: NaiveDate, n: u32) -> Result<NaiveDate> {
        let i = self.index(date).ok_or_else(|| out_of_range(date))?;
        let target = self.ordinal[i + 1] as usize + n.max(1) as usize - 1;
        self.working
            .get(target)
            .map(|&day| self.date_of(day as usize))
            .ok_or_else(|| out_of_range(date))
    }

    /// The position of an instant on the office-time axis, in seconds.
    ///
    /// # Errors
    /// `INVALID_INPUT` outside the calendar's years.
    pub fn position(&self, at: DateTime<Utc>) -> Result<i64> {
        let local = at.with_timezone(&CENTRE_TZ);
        let date = local.date_naive();
        let i = self.index(date).ok_or_else(|| out_of_range(date))?;
        let today = if self.kinds[i].is_working() {
            self.hours.offset(local.time())
        } else {
            0
        };
        Ok(i64::from(self.ordinal[i]) * self.day_seconds + today)
    }

    /// The earliest instant at office-time `position` (> 0).
    fn at_position(&self, position: i64) -> Result<DateTime<Utc>> {
        let ordinal = (position - 1).div_euclid(self.day_seconds);
        let offset = position - ordinal * self.day_seconds;
        let day = usize::try_from(ordinal)
            .ok()
            .and_then(|o| self.working.get(o))
            .ok_or_else(|| Error::invalid("budget", "runs past the end of the calendar"))?;
        Ok(self.instant(self.date_of(*day as usize), self.hours.time_at(offset)))
    }

    /// Working seconds from `from` to `to`, counted inside office hours of working days
    /// (negative when `to` is before `from`).
    ///
    /// # Errors
    /// `INVALID_INPUT` outside the calendar's years.
    pub fn working_seconds_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<i64> {
        Ok(self.position(to)? - self.position(from)?)
    }

    /// The earliest instant by which `seconds` of office time have passed since `start`.
    ///
    /// # Errors
    /// `INVALID_INPUT` when the result falls outside the calendar.
    pub fn add_working_seconds(&self, start: DateTime<Utc>, seconds: i64) -> Result<DateTime<Utc>> {
        if seconds <= 0 {
            return Ok(start);
        }
        self.at_position(self.position(start)? + seconds)
    }

    /// The latest instant with `seconds` of office time between it and `end` (what
    /// "one working day before the due time" means for reminders).
    ///
    /// # Errors
    /// `INVALID_INPUT` when the result falls outside the calendar.
    pub fn sub_working_seconds(&self, end: DateTime<Utc>, seconds: i64) -> Result<DateTime<Utc>> {
        if seconds <= 0 {
            return Ok(end);
        }
        let position = self.position(end)? - seconds;
        if position <= 0 {
            return Ok(self.instant(self.first, NaiveTime::MIN));
        }
        self.at_position(position)
    }

    /// The opening of the `n`th working day after the date of `at`.
    ///
    /// # Errors
    /// `INVALID_INPUT` when it falls outside the calendar.
    pub fn opening_of_nth_working_day_after(
        &self,
        at: DateTime<Utc>,
        n: u32,
    ) -> Result<DateTime<Utc>> {
        let day = self.nth_working_day_after(self.local_date(at), n)?;
        Ok(self.instant(day, self.hours.opening()))
    }

    /// N working minutes after `start`, counting only inside office hours of working days
    /// (accepted 11:50 with 30 minutes → due 14:20 with the default hours).
    ///
    /// # Errors
    /// `INVALID_INPUT` when the result falls outside the calendar.
    pub fn add_working_minutes(&self, start: DateTime<Utc>, n: u32) -> Result<DateTime<Utc>> {
        self.add_working_seconds(start, i64::from(n) * 60)
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
}

#[cfg(test)]
mod tests;
