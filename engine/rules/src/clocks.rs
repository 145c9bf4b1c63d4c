//! 时限 — the statutory clock of a case or task (SPEC §4): a budget in a unit, a start, and
//! every pause. The due time, the time remaining and the light are derived, never stored as
//! truth; a pause moves the due time by exactly the paused working time.

use crate::calendar::WorkingCalendar;
use crate::deadline::{due_at, max_budget};
use crate::enums::LimitUnit;
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One pause of a clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    /// When it began.
    pub from: DateTime<Utc>,
    /// When it ended; `None` while the clock is paused.
    pub to: Option<DateTime<Utc>>,
    /// Why (a supplement, a hearing, …).
    pub reason: String,
}

/// 红黄绿灯 — how close a clock is to its due time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Light {
    /// More than the yellow threshold left.
    Green,
    /// At most the yellow threshold left (default: 1 working day; 10 minutes for immediate
    /// cases).
    Yellow,
    /// Overdue.
    Red,
}

/// When a light turns yellow (settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LightThresholds {
    /// Working days left at which a day-counted clock turns yellow.
    pub yellow_working_days: i64,
    /// Working minutes left at which a minute-counted clock turns yellow.
    pub yellow_working_minutes: i64,
}

impl Default for LightThresholds {
    fn default() -> Self {
        LightThresholds {
            yellow_working_days: 1,
            yellow_working_minutes: 10,
        }
    }
}

/// What a clock says at an instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// When the limit runs out (while paused: if it were resumed at the reading instant).
    pub due_at: DateTime<Utc>,
    /// Seconds left in the clock's unit of time (office time for working units); negative when
    /// overdue. Frozen while paused or stopped.
    pub remaining_seconds: i64,
    /// Seconds consumed since the start, pauses excluded.
    pub consumed_seconds: i64,
    /// The light.
    pub light: Light,
    /// Whether a year the clock spans has no published holiday schedule.
    pub provisional: bool,
    /// Whether the clock is paused.
    pub paused: bool,
}

/// 时限 — a statutory clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatutoryClock {
    /// The unit of the budget.
    pub unit: LimitUnit,
    /// The budget, in `unit`s.
    pub budget: i64,
    /// When counting began (受理时间 for a case).
    pub started_at: DateTime<Utc>,
    /// Every pause, in order; only the last may be open.
    pub pauses: Vec<Pause>,
    /// When the step was done.
    pub stopped_at: Option<DateTime<Utc>>,
}

impl StatutoryClock {
    /// A running clock of `budget` `unit`s from `started_at`.
    ///
    /// # Errors
    /// `INVALID_INPUT` for a budget that is not positive or is absurdly large.
    pub fn new(unit: LimitUnit, budget: i64, started_at: DateTime<Utc>) -> Result<Self> {
        if budget <= 0 || budget > max_budget(unit) {
            return Err(Error::invalid(
                "budget",
                format!("must be between 1 and {} for {unit:?}", max_budget(unit)),
            ));
        }
        Ok(StatutoryClock {
            unit,
            budget,
            started_at,
            pauses: Vec::new(),
            stopped_at: None,
        })
    }

    /// A clock with its recorded pauses and stop, checked.
    ///
    /// # Errors
    /// `INVALID_INPUT` for a bad budget, a pause before the start, a pause that ends before it
    /// begins, overlapping pauses, or an open pause that is not the last.
    pub fn restore(
        unit: LimitUnit,
        budget: i64,
        started_at: DateTime<Utc>,
        pauses: Vec<Pause>,
        stopped_at: Option<DateTime<Utc>>,
    ) -> Result<Self> {
        let mut clock = StatutoryClock::new(unit, budget, started_at)?;
        let mut previous_end = started_at;
        for (i, pause) in pauses.iter().enumerate() {
            if pause.from < previous_end {
                return Err(Error::invalid(
                    "pauses",
                    format!("pause {i} begins before the start or the end of the pause before it"),
                ));
            }
            match pause.to {
                Some(to) if to < pause.from => {
                    return Err(Error::invalid(
                        "pauses",
                        format!("pause {i} ends before it begins"),
                    ));
                }
                Some(to) => previous_end = to,
                None if i + 1 != pauses.len() => {
                    return Err(Error::invalid(
                        "pauses",
                        format!("pause {i} never ended but another follows"),
                    ));
                }
                None => previous_end = pause.from,
            }
        }
        clock.pauses = pauses;
        clock.stopped_at = stopped_at;
        Ok(clock)
    }

    /// Whether the clock is paused now.
    pub fn is_paused(&self) -> bool {
        self.pauses.last().is_some_and(|p| p.to.is_none())
    }

    /// Pauses the clock at `at`.
    ///
    /// # Errors
    /// `INVALID_STATE` when it is already paused (pauses cannot overlap) or stopped;
    /// `INVALID_INPUT` when `at` is before the start or the end of the last pause.
    pub fn pause(&mut self, at: DateTime<Utc>, reason: &str) -> Result<()> {
        if self.stopped_at.is_some() {
            return Err(Error::InvalidState("the clock has stopped".into()));
        }
        if self.is_paused() {
            return Err(Error::InvalidState(
                "the clock is already paused; pauses cannot overlap".into(),
            ));
        }
        let last_end = self
            .pauses
            .last()
            .and_then(|p| p.to)
            .unwrap_or(self.started_at);
        if at < last_end {
            return Err(Error::invalid(
                "at",
                "a pause cannot begin before the last one ended",
            ));
        }
        self.pauses.push(Pause {
            from: at,
            to: None,
            reason: reason.to_owned(),
        });
        Ok(())
    }

    /// Resumes the clock at `at`.
    ///
    /// # Errors
    /// `INVALID_STATE` when it is not paused; `INVALID_INPUT` when `at` is before the pause.
    pub fn resume(&mut self, at: DateTime<Utc>) -> Result<()> {
        match self.pauses.last_mut() {
            Some(pause) if pause.to.is_none() => {
                if at < pause.from {
                    return Err(Error::invalid(
                        "at",
                        "a clock cannot resume before it paused",
                    ));
                }
                pause.to = Some(at);
                Ok(())
            }
            _ => Err(Error::InvalidState(
                "the clock is not paused; there is nothing to resume".into(),
            )),
        }
    }

    /// Stops the clock (its step is done).
    pub fn stop(&mut self, at: DateTime<Utc>) {
        if let Some(pause) = self.pauses.last_mut().filter(|p| p.to.is_none()) {
            pause.to = Some(at);
        }
        self.stopped_at.get_or_insert(at);
    }

    /// Time between two instants in the clock's unit of time (office seconds for working units).
    fn measure(
        &self,
        calendar: &WorkingCalendar,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<i64> {
        match self.unit {
            LimitUnit::NaturalDays => Ok((to - from).num_seconds()),
            LimitUnit::WorkingDays | LimitUnit::WorkingMinutes => {
                calendar.working_seconds_between(from, to)
            }
        }
    }

    /// The due time with every pause counted up to `until` (an open pause ends at `until`).
    fn due_until(&self, calendar: &WorkingCalendar, until: DateTime<Utc>) -> Result<DateTime<Utc>> {
        let base = due_at(calendar, self.started_at, self.unit, self.budget)?;
        let mut paused = 0;
        for pause in &self.pauses {
            let end = pause.to.unwrap_or(until).max(pause.from);
            paused += self.measure(calendar, pause.from, end)?;
        }
        match self.unit {
            LimitUnit::NaturalDays => Ok(base + chrono::Duration::seconds(paused)),
            _ => calendar.add_working_seconds(base, paused),
        }
    }

    /// The due time as it stands at `now` (a paused clock: as if resumed at `now`).
    ///
    /// # Errors
    /// `INVALID_INPUT` when it falls outside the calendar.
    pub fn due_at(&self, calendar: &WorkingCalendar, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
        self.due_until(calendar, self.stopped_at.unwrap_or(now))
    }

    /// The due time to store for sweeps: a running clock's due at `now`; a paused clock's due as
    /// of its pause (it moves on when the clock resumes).
    ///
    /// # Errors
    /// `INVALID_INPUT` when it falls outside the calendar.
    pub fn stored_due(
        &self,
        calendar: &WorkingCalendar,
        now: DateTime<Utc>,
    ) -> Result<DateTime<Utc>> {
        match self.pauses.last() {
            Some(pause) if pause.to.is_none() && self.stopped_at.is_none() => {
                self.due_at(calendar, pause.from)
            }
            _ => self.due_at(calendar, now),
        }
    }

    /// What the clock says at `now`.
    ///
    /// # Errors
    /// `INVALID_INPUT` when its times fall outside the calendar.
    pub fn read(
        &self,
        calendar: &WorkingCalendar,
        now: DateTime<Utc>,
        thresholds: LightThresholds,
    ) -> Result<Reading> {
        let paused = self.is_paused() && self.stopped_at.is_none();
        // The instant the clock last counted: its stop, the start of the open pause, or now.
        let counted_until = match (self.stopped_at, self.pauses.last()) {
            (Some(stopped), _) => stopped,
            (None, Some(pause)) if pause.to.is_none() => pause.from,
            _ => now,
        };
        let due_then = self.due_until(calendar, counted_until)?;
        let remaining_seconds = self.measure(calendar, counted_until, due_then)?;
        let paused_before: i64 = self
            .pauses
            .iter()
            .filter_map(|p| p.to.map(|to| (p.from, to.min(counted_until))))
            .map(|(from, to)| self.measure(calendar, from, to.max(from)))
            .sum::<Result<i64>>()?;
        let consumed_seconds =
            self.measure(calendar, self.started_at, counted_until)? - paused_before;
        let yellow = match self.unit {
            LimitUnit::WorkingMinutes => thresholds.yellow_working_minutes * 60,
            LimitUnit::WorkingDays => thresholds.yellow_working_days * calendar.day_seconds(),
            LimitUnit::NaturalDays => thresholds.yellow_working_days * 86_400,
        };
        let light = if remaining_seconds < 0 {
            Light::Red
        } else if remaining_seconds <= yellow {
            Light::Yellow
        } else {
            Light::Green
        };
        let due_at = if paused {
            self.due_until(calendar, now)?
        } else {
            due_then
        };
        Ok(Reading {
            due_at,
            remaining_seconds,
            consumed_seconds,
            light,
            provisional: !calendar
                .provisional_years(self.started_at, due_at)
                .is_empty(),
            paused,
        })
    }
}

#[cfg(test)]
mod tests;

/// Remaining time as a clerk reads it: `剩余 2 个工作日 3 小时`, `已超期 40 分钟`.
pub fn describe_remaining(seconds: i64, unit: LimitUnit, day_seconds: i64) -> String {
    let (prefix, left) = if seconds < 0 {
        ("已超期", -seconds)
    } else {
        ("剩余", seconds)
    };
    let day = match unit {
        LimitUnit::NaturalDays => 86_400,
        _ => day_seconds.max(60),
    };
    let day_word = if unit == LimitUnit::NaturalDays {
        "天"
    } else {
        "个工作日"
    };
    let (days, rest) = (left / day, left % day);
    let (hours, minutes) = (rest / 3600, rest % 3600 / 60);
    let mut parts = Vec::new();
    if days > 0 && unit != LimitUnit::WorkingMinutes {
        parts.push(format!("{days} {day_word}"));
    } else if days > 0 {
        parts.push(format!("{} 小时", days * day / 3600 + hours));
    }
    if hours > 0 && !(days > 0 && unit == LimitUnit::WorkingMinutes) {
        parts.push(format!("{hours} 小时"));
    }
    if minutes > 0 || parts.is_empty() {
        parts.push(format!("{minutes} 分钟"));
    }
    format!("{prefix} {}", parts.join(" "))
}
