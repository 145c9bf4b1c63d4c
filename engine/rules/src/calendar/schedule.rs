//! 节假日安排 — one year's published holiday schedule: days off and make-up working days.
//! Parsed from the shipped data file or from a centre admin's input, and checked either way.

use crate::error::{Error, Result};
use crate::validate;
use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The years a schedule may be given for.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2099;

/// A named date (`2026-02-16`, `春节`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedDay {
    /// The date.
    pub date: NaiveDate,
    /// The holiday it belongs to.
    pub name: String,
}

/// One year's schedule, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct YearSchedule {
    /// The year.
    pub year: i32,
    /// Where it comes from (the notice, the data package).
    pub source: String,
    /// Days off (放假), including weekend days inside a holiday period.
    pub holidays: Vec<NamedDay>,
    /// Make-up working days (调休补班): weekend days worked.
    pub make_up_days: Vec<NamedDay>,
}

/// A day as typed in (a file or an admin's input), not yet checked.
#[derive(Debug, Clone, Deserialize)]
pub struct DayText {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The holiday's name.
    pub name: String,
}

/// A year as typed in, not yet checked.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct YearText {
    /// The year.
    pub year: i32,
    /// Where it comes from.
    #[serde(default, alias = "notice")]
    pub source: String,
    /// Days off.
    pub holidays: Vec<DayText>,
    /// Make-up working days.
    pub make_up_days: Vec<DayText>,
}

fn check_days(year: i32, field: &str, days: &[DayText], max: usize) -> Result<Vec<NamedDay>> {
    if days.len() > max {
        return Err(Error::invalid(
            field,
            format!("at most {max} days in a year"),
        ));
    }
    days.iter()
        .enumerate()
        .map(|(i, day)| {
            let at = format!("{field}[{i}]");
            let date = NaiveDate::parse_from_str(day.date.trim(), "%Y-%m-%d").map_err(|_| {
                Error::invalid(
                    format!("{at}.date"),
                    format!(
                        "`{}` is not a date (YYYY-MM-DD)",
                        day.date.chars().take(20).collect::<String>()
                    ),
                )
            })?;
            if date.year() != year {
                return Err(Error::invalid(
                    format!("{at}.date"),
                    format!("{date} is not in {year}"),
                ));
            }
            let name = validate::required(&format!("{at}.name"), &day.name, 50)?;
            Ok(NamedDay { date, name })
        })
        .collect()
}

impl YearText {
    /// Checks a typed-in year: real dates inside the year, none twice, none both a holiday and a
    /// make-up day, make-up days on weekends only.
    ///
    /// # Errors
    /// `INVALID_INPUT` naming the first bad field.
    pub fn check(&self) -> Result<YearSchedule> {
        if !YEARS.contains(&self.year) {
            return Err(Error::invalid(
                "year",
                format!("must be within {}–{}", YEARS.start(), YEARS.end()),
            ));
        }
        let source = validate::required("source", &self.source, 500)?;
        let holidays = check_days(self.year, "holidays", &self.holidays, 60)?;
        let make_up_days = check_days(self.year, "makeUpDays", &self.make_up_days, 20)?;
        let mut seen = BTreeSet::new();
        for day in holidays.iter().chain(&make_up_days) {
            if !seen.insert(day.date) {
                return Err(Error::invalid(
                    "holidays",
                    format!("{} is listed twice", day.date),
                ));
            }
        }
        if let Some(day) = make_up_days
            .iter()
            .find(|d| !matches!(d.date.weekday(), Weekday::Sat | Weekday::Sun))
        {
            return Err(Error::invalid(
                "makeUpDays",
                format!(
                    "{} is a weekday; a make-up working day falls on a weekend",
                    day.date
                ),
            ));
        }
        Ok(YearSchedule {
            year: self.year,
            source,
            holidays,
            make_up_days,
        })
    }
}

/// The data file Lianban ships (see `engine/data/README.md`).
const SHIPPED: &str = include_str!("../../data/holidays-cn.json");

#[derive(Deserialize)]
struct ShippedFile {
    source: String,
    years: Vec<YearText>,
}

/// The schedules shipped with Lianban (2024–2026), each naming its source.
///
/// # Errors
/// `INTERNAL` if the shipped file is broken (a test guards against that).
pub fn shipped() -> Result<Vec<YearSchedule>> {
    let file: ShippedFile = serde_json::from_str(SHIPPED)
        .map_err(|e| Error::Corrupt(format!("shipped holiday data: {e}")))?;
    file.years
        .into_iter()
        .map(|mut year| {
            year.source = format!("{}; {}", file.source, year.source);
            year.check()
                .map_err(|e| Error::Corrupt(format!("shipped holiday data {}: {e}", year.year)))
        })
        .collect()
}
