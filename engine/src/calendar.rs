//! 日历管理 — reading the calendar, and a centre admin's versions of a year's schedule. Saving
//! a version records an event and recomputes every open clock in the same transaction.

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use lianban_entity::calendar_year_version;
use lianban_rules::calendar::{DayKind, NamedDay, WorkingCalendar, YearText};
use lianban_rules::clocks::StatutoryClock;
use lianban_rules::policy::Actor;
use lianban_rules::roles::Role;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, QueryOrder, SqlErr};
use serde_json::json;

/// The longest range `calendar(from, to)` lists.
pub const MAX_CALENDAR_DAYS: i64 = 366;

/// One day of the calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarDay {
    /// The date.
    pub date: NaiveDate,
    /// Its kind.
    pub kind: DayKind,
    /// The holiday it belongs to.
    pub name: Option<String>,
    /// Whether its year has no published schedule.
    pub provisional: bool,
}

/// A year's schedule as the centre has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarYear {
    /// The year.
    pub year: i32,
    /// Where it comes from.
    pub source: String,
    /// 0: shipped with Lianban; 1, 2, …: saved by a centre admin.
    pub version: i32,
}

/// What saving a year did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedYear {
    /// The year and its new version.
    pub year: CalendarYear,
    /// How many open clocks got a new due time.
    pub recomputed_clocks: u64,
}

/// A due time as the window would get it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueDate {
    /// When the limit runs out.
    pub due_at: DateTime<Utc>,
    /// Whether a year in between has no published schedule.
    pub provisional: bool,
}

impl Engine {
    /// The days from `from` to `to` (inclusive), each with its kind.
    ///
    /// # Errors
    /// `INVALID_INPUT` when `to` is before `from` or the range is longer than a year.
    pub async fn calendar_days(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<CalendarDay>> {
        if to < from {
            return Err(Error::invalid("to", "is before from"));
        }
        if (to - from).num_days() >= MAX_CALENDAR_DAYS {
            return Err(Error::invalid(
                "to",
                format!("at most {MAX_CALENDAR_DAYS} days at a time"),
            ));
        }
        let calendar = self.sync_calendar().await?;
        Ok(from
            .iter_days()
            .take_while(|d| *d <= to)
            .map(|date| CalendarDay {
                date,
                kind: calendar.day_kind(date),
                name: calendar.day_name(date).map(str::to_owned),
                provisional: calendar.is_provisional(date.year()),
            })
            .collect())
    }

    /// Every year with a schedule, and where it comes from.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn calendar_years(&self) -> Result<Vec<CalendarYear>> {
        let calendar = self.sync_calendar().await?;
        Ok(calendar
            .years()
            .iter()
            .map(|(year, source)| CalendarYear {
                year: *year,
                source: source.source.clone(),
                version: source.version,
            })
            .collect())
    }

    /// Warnings for the centre admin: this year or next without a published schedule.
    pub fn calendar_warnings(&self) -> Vec<String> {
        let calendar = self.calendar();
        let this_year = lianban_rules::calendar::local_date(self.now()).year();
        (this_year..=this_year + 1)
            .filter(|y| calendar.is_provisional(*y))
            .map(|y| {
                format!(
                    "{y}年节假日安排尚未录入：该年的期限按周一至周五计算，标为临时（provisional）"
                )
            })
            .collect()
    }

    /// The first moment at or after now when the office is open.
    ///
    /// # Errors
    /// `INVALID_INPUT` outside the calendar's years.
    pub fn next_opening(&self) -> Result<DateTime<Utc>> {
        Ok(self.calendar().next_opening(self.now())?)
    }

    /// When a limit of `amount` `unit`s starting at `start` would run out.
    ///
    /// # Errors
    /// `INVALID_INPUT` for a bad amount.
    pub async fn due_date(
        &self,
        start: DateTime<Utc>,
        unit: lianban_rules::LimitUnit,
        amount: i64,
    ) -> Result<DueDate> {
        let calendar = self.sync_calendar().await?;
        let clock = StatutoryClock::new(unit, amount, start)?;
        let due_at = clock.due_at(&calendar, start)?;
        Ok(DueDate {
            due_at,
            provisional: !calendar.provisional_years(start, due_at).is_empty(),
        })
    }

    /// Saves a new version of a year's schedule (replacing the shipped one or extending the
    /// calendar to a new year) and recomputes every open clock.
    ///
    /// # Errors
    /// `FORBIDDEN` unless a centre admin; `INVALID_INPUT` for a malformed schedule (nothing is
    /// written); `CONFLICT` when another version of the year was saved at the same moment.
    pub async fn set_calendar_year(&self, actor: &Actor, text: YearText) -> Result<SavedYear> {
        actor.require(Role::CenterAdmin, "changing the calendar")?;
        let schedule = text.check()?;
        let now = self.now();
        let (_gate, txn) = self.begin_write().await?;
        let mut versions = calendar_year_version::Entity::find()
            .order_by_asc(calendar_year_version::Column::Year)
            .order_by_asc(calendar_year_version::Column::Version)
            .all(&txn)
            .await?;
        let version = versions
            .iter()
            .filter(|v| v.year == schedule.year)
            .map(|v| v.version)
            .max()
            .unwrap_or(0)
            + 1;
        let days = |list: &[NamedDay]| json!(list);
        let row = calendar_year_version::ActiveModel {
            year: Set(schedule.year),
            version: Set(version),
            source: Set(schedule.source.clone()),
            holidays: Set(days(&schedule.holidays)),
            make_up_days: Set(days(&schedule.make_up_days)),
            changed_by: Set(actor.staff_id),
            changed_at: Set(now),
        };
        let row = row.insert(&txn).await.map_err(|e| match e.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => Error::Conflict(format!(
                "another version of {} was saved at the same time; reload and try again",
                schedule.year
            )),
            _ => Error::from(e),
        })?;
        versions.push(row);
        let calendar: WorkingCalendar = self.build_calendar(&versions)?;
        let recomputed = self
            .recompute_open_clocks(&txn, &calendar, schedule.year, now)
            .await?;
        events::record(
            &txn,
            now,
            vec![
                NewEvent::system(EventKind::CalendarYearSet)
                    .by(actor.staff_id)
                    .after(json!({
                        "year": schedule.year,
                        "version": version,
                        "source": schedule.source,
                        "holidays": schedule.holidays.len(),
                        "makeUpDays": schedule.make_up_days.len(),
                        "recomputedClocks": recomputed,
                    })),
            ],
        )
        .await?;
        txn.commit().await?;
        self.reload_calendar().await?;
        Ok(SavedYear {
            year: CalendarYear {
                year: schedule.year,
                source: schedule.source,
                version,
            },
            recomputed_clocks: recomputed,
        })
    }
}
