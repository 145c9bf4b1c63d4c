//! The working calendar as portals read it, and a centre admin's versions of a year.

use crate::graphql::enums::DayKind;
use async_graphql::SimpleObject;
use chrono::{DateTime, NaiveDate, Utc};
use lianban_engine::calendar;

/// One day of the calendar.
#[derive(SimpleObject)]
pub struct CalendarDay {
    pub date: NaiveDate,
    pub kind: DayKind,
    /// The holiday it belongs to (元旦, 春节, …).
    pub name: Option<String>,
    /// True when its year has no published schedule (Monday–Friday assumed).
    pub provisional: bool,
}

impl From<calendar::CalendarDay> for CalendarDay {
    fn from(day: calendar::CalendarDay) -> Self {
        CalendarDay {
            date: day.date,
            kind: day.kind.into(),
            name: day.name,
            provisional: day.provisional,
        }
    }
}

/// A year's schedule and where it comes from.
#[derive(SimpleObject)]
pub struct CalendarYear {
    pub year: i32,
    pub source: String,
    /// 0: shipped with Lianban; 1, 2, …: saved by a centre admin.
    pub version: i32,
}

impl From<calendar::CalendarYear> for CalendarYear {
    fn from(year: calendar::CalendarYear) -> Self {
        CalendarYear {
            year: year.year,
            source: year.source,
            version: year.version,
        }
    }
}

/// 工作日历 — days, office hours and the years the centre has schedules for.
#[derive(SimpleObject)]
pub struct CalendarView {
    pub days: Vec<CalendarDay>,
    /// `HH:MM-HH:MM` periods of a working day.
    pub office_hours: Vec<String>,
    /// When the office next opens (now, if it is open).
    pub next_opening: DateTime<Utc>,
    pub years: Vec<CalendarYear>,
    /// What a centre admin should act on (a year without a schedule).
    pub warnings: Vec<String>,
}

/// A due time as the window would get it.
#[derive(SimpleObject)]
pub struct DueDate {
    pub due_at: DateTime<Utc>,
    pub provisional: bool,
}

/// A saved version of a year.
#[derive(SimpleObject)]
pub struct SavedCalendarYear {
    pub year: CalendarYear,
    /// How many open clocks got a new due time.
    pub recomputed_clocks: u64,
}

impl From<calendar::SavedYear> for SavedCalendarYear {
    fn from(saved: calendar::SavedYear) -> Self {
        SavedCalendarYear {
            year: saved.year.into(),
            recomputed_clocks: saved.recomputed_clocks,
        }
    }
}
