//! The follow-up clock of a reply deadline (a supervision item's answer, a complaint's reply, a
//! rectification): a reminder when one working day is left, a notice at the deadline, then one
//! reminder at the opening of each working day while it is late, up to a cap. Pure: when each
//! alert falls and which one a sweep at `now` sends.

use crate::calendar::WorkingCalendar;
use crate::error::Result;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One follow-up alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Alert {
    /// One working day left.
    Reminder,
    /// The deadline is reached.
    Due,
    /// The `n`th working day late.
    Overdue(u32),
}

impl Alert {
    /// The alert numbered `n` (1 reminder, 2 due, 2 + k the kth day late).
    fn numbered(n: u32) -> Alert {
        match n {
            1 => Alert::Reminder,
            2 => Alert::Due,
            k => Alert::Overdue(k - 2),
        }
    }

    /// A stable key (events, message ids).
    pub fn key(self) -> String {
        match self {
            Alert::Reminder => "REMINDER".to_owned(),
            Alert::Due => "DUE".to_owned(),
            Alert::Overdue(k) => format!("OVERDUE_{k}"),
        }
    }

    /// The alert of an [`Alert::key`].
    pub fn from_key(key: &str) -> Option<Alert> {
        Some(match key {
            "REMINDER" => Alert::Reminder,
            "DUE" => Alert::Due,
            other => Alert::Overdue(other.strip_prefix("OVERDUE_")?.parse().ok()?),
        })
    }

    /// Whether the deadline has passed.
    pub fn late(self) -> bool {
        matches!(self, Alert::Overdue(_))
    }
}

impl From<Alert> for String {
    fn from(alert: Alert) -> String {
        alert.key()
    }
}

impl TryFrom<String> for Alert {
    type Error = String;

    fn try_from(key: String) -> std::result::Result<Alert, String> {
        Alert::from_key(&key).ok_or_else(|| format!("`{key}` is not a follow-up alert"))
    }
}

/// When alert `n` of a deadline `due` falls.
fn alert_at(calendar: &WorkingCalendar, due: DateTime<Utc>, n: u32) -> Result<DateTime<Utc>> {
    match n {
        1 => calendar.sub_working_seconds(due, calendar.day_seconds()),
        2 => Ok(due),
        k => calendar.opening_of_nth_working_day_after(due, k - 2),
    }
}

/// When the alert after the `sent` already sent falls; `None` once `cap` late reminders went.
///
/// # Errors
/// `INVALID_INPUT` when it falls outside the calendar.
pub fn next_alert(
    calendar: &WorkingCalendar,
    due: DateTime<Utc>,
    sent: i32,
    cap: u32,
) -> Result<Option<DateTime<Utc>>> {
    let n = u32::try_from(sent.max(0)).unwrap_or(0) + 1;
    if n > cap + 2 {
        return Ok(None);
    }
    alert_at(calendar, due, n).map(Some)
}

/// The alert a sweep at `now` sends (only the latest one passed: a late sweep does not send a
/// backlog), with the new count of alerts sent and when the next one falls.
///
/// # Errors
/// `INVALID_INPUT` when a time falls outside the calendar.
pub fn due_alert(
    calendar: &WorkingCalendar,
    due: DateTime<Utc>,
    sent: i32,
    cap: u32,
    now: DateTime<Utc>,
) -> Result<(Option<Alert>, i32, Option<DateTime<Utc>>)> {
    let mut latest = None;
    let mut n = u32::try_from(sent.max(0)).unwrap_or(0) + 1;
    while n <= cap + 2 && alert_at(calendar, due, n)? <= now {
        latest = Some(n);
        n += 1;
    }
    let sent = latest.map_or(sent, |n| i32::try_from(n).unwrap_or(i32::MAX));
    Ok((
        latest.map(Alert::numbered),
        sent,
        next_alert(calendar, due, sent, cap)?,
    ))
}

/// Whether a supervision item still waits for its department's answer (its reply clock runs).
pub fn item_awaits_answer(status: crate::enums::SupervisionStatus) -> bool {
    use crate::enums::SupervisionStatus as S;
    matches!(status, S::Opened | S::Assigned | S::Chased)
}

/// Whether a complaint still waits for its reply.
pub fn complaint_awaits_reply(status: crate::enums::ComplaintStatus) -> bool {
    status == crate::enums::ComplaintStatus::Open
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::OfficeHours;
    use chrono::{NaiveDate, NaiveTime};

    fn at(calendar: &WorkingCalendar, d: u32, h: u32) -> DateTime<Utc> {
        calendar.instant(
            NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default(),
            NaiveTime::from_hms_opt(h, 0, 0).unwrap_or_default(),
        )
    }

    #[test]
    fn a_deadline_reminds_a_day_before_notices_at_due_then_daily_up_to_the_cap() {
        let cal = WorkingCalendar::new(OfficeHours::standard());
        let due = at(&cal, 26, 9); // Thursday 09:00
        assert_eq!(
            next_alert(&cal, due, 0, 2).ok().flatten(),
            Some(at(&cal, 25, 9))
        );
        assert_eq!(next_alert(&cal, due, 1, 2).ok().flatten(), Some(due));
        let friday_open = cal.opening_of_nth_working_day_after(due, 1).ok();
        assert_eq!(next_alert(&cal, due, 2, 2).ok().flatten(), friday_open);
        assert_eq!(next_alert(&cal, due, 4, 2).ok().flatten(), None, "capped");
        let (alert, sent, next) =
            due_alert(&cal, due, 0, 2, at(&cal, 25, 10)).unwrap_or((None, 0, None));
        assert_eq!((alert, sent, next), (Some(Alert::Reminder), 1, Some(due)));
    }

    #[test]
    fn a_late_sweep_sends_only_the_latest_alert() {
        let cal = WorkingCalendar::new(OfficeHours::standard());
        let due = at(&cal, 26, 9);
        // Monday the 30th, 10:00: reminder, due, Friday's and Monday's daily are all past.
        let (alert, sent, _) =
            due_alert(&cal, due, 0, 10, at(&cal, 30, 10)).unwrap_or((None, 0, None));
        assert_eq!((alert, sent), (Some(Alert::Overdue(2)), 4));
        let (nothing, same, _) =
            due_alert(&cal, due, 4, 10, at(&cal, 30, 11)).unwrap_or((None, 0, None));
        assert_eq!((nothing, same), (None, 4));
    }
}
