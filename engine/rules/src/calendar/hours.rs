//! 办公时间 — the office hours of one working day, and positions inside them.

use crate::error::{Error, Result};
use chrono::{NaiveTime, Timelike};

/// Office hours of one working day: ordered, non-overlapping periods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficeHours {
    periods: Vec<(NaiveTime, NaiveTime)>,
}

fn seconds(t: NaiveTime) -> i64 {
    i64::from(t.num_seconds_from_midnight())
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

    /// The periods as `HH:MM-HH:MM` text.
    pub fn describe(&self) -> Vec<String> {
        self.periods
            .iter()
            .map(|(open, close)| format!("{}-{}", open.format("%H:%M"), close.format("%H:%M")))
            .collect()
    }

    /// When the first period opens.
    pub fn opening(&self) -> NaiveTime {
        self.periods
            .first()
            .map_or(NaiveTime::MIN, |&(open, _)| open)
    }

    /// When the last period closes.
    pub fn closing(&self) -> NaiveTime {
        self.periods
            .last()
            .map_or(NaiveTime::MIN, |&(_, close)| close)
    }

    /// Office seconds in one working day.
    pub fn day_seconds(&self) -> i64 {
        self.periods
            .iter()
            .map(|&(open, close)| seconds(close) - seconds(open))
            .sum()
    }

    /// Office seconds of a working day that have passed at `time`.
    pub fn offset(&self, time: NaiveTime) -> i64 {
        let t = seconds(time);
        self.periods
            .iter()
            .map(|&(open, close)| (t.min(seconds(close)) - seconds(open)).max(0))
            .sum()
    }

    /// The earliest time of day at which `offset` office seconds have passed
    /// (`0 < offset ≤ day_seconds`); at a period's end it is that end, not the next opening.
    pub fn time_at(&self, offset: i64) -> NaiveTime {
        let mut left = offset;
        for &(open, close) in &self.periods {
            let length = seconds(close) - seconds(open);
            if left <= length {
                return open + chrono::Duration::seconds(left);
            }
            left -= length;
        }
        self.closing()
    }

    /// The first moment at or after `time` when the office is open that day, if any.
    pub fn next_opening(&self, time: NaiveTime) -> Option<NaiveTime> {
        self.periods.iter().find_map(|&(open, close)| {
            if time < open {
                Some(open)
            } else if time < close {
                Some(time)
            } else {
                None
            }
        })
    }
}
