//! 催办/督办 — the escalation ladder of SPEC §5, as pure functions over a clock's due time and
//! how far up the ladder it has gone. Each rung fires exactly once per clock; the database side
//! (`escalation`) records the progress in the same transaction as the messages it sends.
//!
//! | rung | when | who hears |
//! |---|---|---|
//! | 1 reminder | the light turns YELLOW | the assignee (and the B holder while A is away) |
//! | 2 due | the deadline is reached | assignee and department head |
//! | 3 黄牌 | 1 working day overdue | a supervision item opens; the centre admin |
//! | 4 红牌 | 3 working days overdue | the item is raised to leadership |
//!
//! While overdue, a reminder repeats at the opening of each working day, up to a cap.

use crate::calendar::WorkingCalendar;
use crate::clocks::LightThresholds;
use crate::enums::LimitUnit;
use crate::error::Result;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The ladder's numbers (settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LadderSettings {
    /// When the light turns yellow.
    pub thresholds: LightThresholds,
    /// Working days overdue for 黄牌 (default 1).
    pub yellow_card_after_days: u32,
    /// Working days overdue for 红牌 (default 3).
    pub red_card_after_days: u32,
    /// Most daily overdue reminders per clock (default 10).
    pub daily_reminder_cap: u32,
    /// 急事急办 — how long before its due time an urgent case's clock is first reminded
    /// (default 2 working days, or 20 working minutes).
    pub urgent_reminder: LightThresholds,
}

impl LadderSettings {
    /// The ladder of a clock: an urgent one is reminded earlier; the other rungs are the same.
    pub fn for_clock(&self, urgent: bool) -> LadderSettings {
        if urgent {
            LadderSettings {
                thresholds: self.urgent_reminder,
                ..*self
            }
        } else {
            *self
        }
    }
}

impl Default for LadderSettings {
    fn default() -> Self {
        LadderSettings {
            thresholds: LightThresholds::default(),
            yellow_card_after_days: 1,
            red_card_after_days: 3,
            daily_reminder_cap: 10,
            urgent_reminder: LightThresholds {
                yellow_working_days: 2,
                yellow_working_minutes: 20,
            },
        }
    }
}

/// One thing the ladder does. In mail its [`Step::key`] (`DUE`, `DAILY_2`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Step {
    /// Rung 1: the light turned yellow.
    Reminder,
    /// Rung 2: the deadline is reached.
    Due,
    /// Rung 3: 黄牌.
    YellowCard,
    /// Rung 4: 红牌.
    RedCard,
    /// The `n`th daily reminder while overdue.
    Daily(u32),
}

impl Step {
    /// A stable key (message ids, events, metrics).
    pub fn key(self) -> String {
        match self {
            Step::Reminder => "REMINDER".to_owned(),
            Step::Due => "DUE".to_owned(),
            Step::YellowCard => "YELLOW_CARD".to_owned(),
            Step::RedCard => "RED_CARD".to_owned(),
            Step::Daily(n) => format!("DAILY_{n}"),
        }
    }

    /// The metric label (daily reminders share one).
    pub fn kind(self) -> &'static str {
        match self {
            Step::Reminder => "reminder",
            Step::Due => "due",
            Step::YellowCard => "yellow_card",
            Step::RedCard => "red_card",
            Step::Daily(_) => "daily",
        }
    }

    /// The step of a [`Step::key`].
    pub fn from_key(key: &str) -> Option<Step> {
        Some(match key {
            "REMINDER" => Step::Reminder,
            "DUE" => Step::Due,
            "YELLOW_CARD" => Step::YellowCard,
            "RED_CARD" => Step::RedCard,
            other => Step::Daily(other.strip_prefix("DAILY_")?.parse().ok()?),
        })
    }

    fn rung(n: i32) -> Option<Step> {
        match n {
            1 => Some(Step::Reminder),
            2 => Some(Step::Due),
            3 => Some(Step::YellowCard),
            4 => Some(Step::RedCard),
            _ => None,
        }
    }
}

impl From<Step> for String {
    fn from(step: Step) -> String {
        step.key()
    }
}

impl TryFrom<String> for Step {
    type Error = String;

    fn try_from(key: String) -> std::result::Result<Step, String> {
        Step::from_key(&key).ok_or_else(|| format!("`{key}` is not a step of the ladder"))
    }
}

/// How far up the ladder a clock has gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    /// The highest rung fired (0–4).
    pub rung: i32,
    /// Daily reminders sent.
    pub reminders: i32,
}

/// When rung `n` (1–4) falls for a clock of `unit` due at `due`.
///
/// # Errors
/// `INVALID_INPUT` when it falls outside the calendar.
pub fn rung_at(
    calendar: &WorkingCalendar,
    unit: LimitUnit,
    due: DateTime<Utc>,
    n: i32,
    settings: &LadderSettings,
) -> Result<DateTime<Utc>> {
    let day = calendar.day_seconds();
    match n {
        1 => match unit {
            LimitUnit::WorkingMinutes => {
                calendar.sub_working_seconds(due, settings.thresholds.yellow_working_minutes * 60)
            }
            LimitUnit::WorkingDays => {
                calendar.sub_working_seconds(due, settings.thresholds.yellow_working_days * day)
            }
            LimitUnit::NaturalDays => {
                Ok(due - chrono::Duration::days(settings.thresholds.yellow_working_days))
            }
        },
        2 => Ok(due),
        3 => calendar.add_working_seconds(due, i64::from(settings.yellow_card_after_days) * day),
        _ => calendar.add_working_seconds(due, i64::from(settings.red_card_after_days) * day),
    }
}

/// When the `k`th daily overdue reminder falls: the opening of the `k`th working day after the
/// due date.
///
/// # Errors
/// `INVALID_INPUT` when it falls outside the calendar.
pub fn daily_at(calendar: &WorkingCalendar, due: DateTime<Utc>, k: u32) -> Result<DateTime<Utc>> {
    calendar.opening_of_nth_working_day_after(due, k)
}

/// The steps due at `now` (every rung passed, in order — a late sweep still fires each one — and
/// at most one daily reminder, the latest), and the progress after them.
///
/// # Errors
/// `INVALID_INPUT` when a time falls outside the calendar.
pub fn due_steps(
    calendar: &WorkingCalendar,
    unit: LimitUnit,
    due: DateTime<Utc>,
    progress: Progress,
    now: DateTime<Utc>,
    settings: &LadderSettings,
) -> Result<(Vec<Step>, Progress)> {
    let mut steps = Vec::new();
    let mut next = progress;
    for n in (progress.rung + 1)..=4 {
        if rung_at(calendar, unit, due, n, settings)? > now {
            break;
        }
        steps.extend(Step::rung(n));
        next.rung = n;
    }
    if now > due {
        let mut latest = None;
        let first = u32::try_from(progress.reminders.max(0)).unwrap_or(0) + 1;
        for k in first..=settings.daily_reminder_cap {
            if daily_at(calendar, due, k)? > now {
                break;
            }
            latest = Some(k);
        }
        if let Some(k) = latest {
            steps.push(Step::Daily(k));
            next.reminders = i32::try_from(k).unwrap_or(i32::MAX);
        }
    }
    Ok((steps, next))
}

/// When the next step falls after `progress`; `None` when the ladder is done.
///
/// # Errors
/// `INVALID_INPUT` when a time falls outside the calendar.
pub fn next_at(
    calendar: &WorkingCalendar,
    unit: LimitUnit,
    due: DateTime<Utc>,
    progress: Progress,
    settings: &LadderSettings,
) -> Result<Option<DateTime<Utc>>> {
    let rung = if progress.rung < 4 {
        Some(rung_at(calendar, unit, due, progress.rung + 1, settings)?)
    } else {
        None
    };
    let reminders = u32::try_from(progress.reminders.max(0)).unwrap_or(0);
    let daily = if reminders < settings.daily_reminder_cap {
        Some(daily_at(calendar, due, reminders + 1)?)
    } else {
        None
    };
    Ok(match (rung, daily) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    })
}

#[cfg(test)]
mod tests;
