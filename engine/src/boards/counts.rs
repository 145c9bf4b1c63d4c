//! The aggregate queries behind the boards, each grouped by department in one statement that
//! never reads every open clock: open and paused clocks, and this month's finished ones, from the
//! maintained `clock_tallies`; red and yellow from the running clocks due before the yellow
//! horizon (a range of `(state, due_at)`); open supervision items. No case or task is joined:
//! each clock names its department.

use crate::error::Result;
use crate::store::sql;
use chrono::{DateTime, Utc};
use lianban_rules::calendar::WorkingCalendar;
use lianban_rules::clocks::LightThresholds;
use sea_orm::{ConnectionTrait, Value};
use std::collections::HashMap;
use uuid::Uuid;

/// One department's numbers (or the centre's, summed).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    /// Running or paused clocks.
    pub open: i64,
    pub green: i64,
    pub yellow: i64,
    pub red: i64,
    /// Paused (the applicant is supplying material, a special procedure runs).
    pub paused: i64,
    /// Supervision items not archived, and how many of them are 红牌.
    pub open_supervision: i64,
    pub red_card_items: i64,
    /// When the oldest open item was opened.
    pub oldest_item_opened_at: Option<DateTime<Utc>>,
    /// Clocks stopped this month, and how many of them by their due time.
    pub finished_this_month: i64,
    pub on_time_this_month: i64,
}

impl Counts {
    /// This month's on-time rate (0–1); none when nothing finished.
    pub fn on_time_rate(&self) -> Option<f64> {
        (self.finished_this_month > 0)
            .then(|| self.on_time_this_month as f64 / self.finished_this_month as f64)
    }

    pub(crate) fn add(&mut self, o: &Counts) {
        self.open += o.open;
        self.green += o.green;
        self.yellow += o.yellow;
        self.red += o.red;
        self.paused += o.paused;
        self.open_supervision += o.open_supervision;
        self.red_card_items += o.red_card_items;
        self.oldest_item_opened_at = match (self.oldest_item_opened_at, o.oldest_item_opened_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.finished_this_month += o.finished_this_month;
        self.on_time_this_month += o.on_time_this_month;
    }
}

/// The department a clock answers to: its task's, or for a case's own clock the lead's.
const DEPARTMENT: &str = "c.department_id";

/// The numbers of every department with anything open or finished (or only `department`).
pub(crate) async fn by_department<C: ConnectionTrait>(
    db: &C,
    calendar: &WorkingCalendar,
    thresholds: LightThresholds,
    now: DateTime<Utc>,
    (year, month): (i32, u32),
    department: Option<Uuid>,
) -> Result<HashMap<Uuid, Counts>> {
    let month_key = format!("{year:04}-{month:02}");
    let yellow_days = calendar
        .add_working_seconds(now, thresholds.yellow_working_days * calendar.day_seconds())?;
    let yellow_minutes =
        calendar.add_working_seconds(now, thresholds.yellow_working_minutes * 60)?;
    let yellow_natural = now + chrono::Duration::days(thresholds.yellow_working_days);
    let only = |alias: &str| match department {
        Some(_) => format!(" AND {alias} = ?"),
        None => String::new(),
    };
    let with = |mut values: Vec<Value>| {
        values.extend(department.map(Value::from));
        values
    };
    let mut out: HashMap<Uuid, Counts> = HashMap::new();
    // Open and paused clocks, and this month's finished ones: the maintained tallies (a few
    // rows per department).
    let tallies = sql::rows(
        db,
        &format!(
            "SELECT t.department_id AS department_id, \
               CAST(SUM(CASE WHEN t.month IS NULL THEN t.open ELSE 0 END) AS BIGINT) AS open, \
               CAST(SUM(CASE WHEN t.month IS NULL THEN t.paused ELSE 0 END) AS BIGINT) AS paused, \
               CAST(SUM(CASE WHEN t.month = ? THEN t.finished ELSE 0 END) AS BIGINT) AS finished, \
               CAST(SUM(CASE WHEN t.month = ? THEN t.on_time ELSE 0 END) AS BIGINT) AS on_time \
             FROM clock_tallies t WHERE t.department_id IS NOT NULL \
               AND (t.month IS NULL OR t.month = ?){} GROUP BY t.department_id",
            only("t.department_id")
        ),
        with(vec![
            month_key.clone().into(),
            month_key.clone().into(),
            month_key.into(),
        ]),
    )
    .await?;
    for row in &tallies {
        let c = out.entry(row.try_get("", "department_id")?).or_default();
        c.open = sql::int(row, "open")?;
        c.paused = sql::int(row, "paused")?;
        c.finished_this_month = sql::int(row, "finished")?;
        c.on_time_this_month = sql::int(row, "on_time")?;
    }
    // Red and yellow: the running clocks due before the furthest yellow threshold, a range of
    // `(state, due_at)` — what is late or nearly so, never every open clock.
    let horizon = yellow_days.max(yellow_minutes).max(yellow_natural);
    let lights = sql::rows(
        db,
        &format!(
            "SELECT {DEPARTMENT} AS department_id, \
               SUM(CASE WHEN c.due_at < ? THEN 1 ELSE 0 END) AS red, \
               SUM(CASE WHEN c.due_at >= ? AND ( \
                   (c.unit = 'WORKING_MINUTES' AND c.due_at <= ?) OR \
                   (c.unit = 'WORKING_DAYS' AND c.due_at <= ?) OR \
                   (c.unit = 'NATURAL_DAYS' AND c.due_at <= ?)) THEN 1 ELSE 0 END) AS yellow \
             FROM clocks c WHERE c.state = 'RUNNING' AND c.due_at <= ?{} GROUP BY {DEPARTMENT}",
            only(DEPARTMENT)
        ),
        with(vec![
            now.into(),
            now.into(),
            yellow_minutes.into(),
            yellow_days.into(),
            yellow_natural.into(),
            horizon.into(),
        ]),
    )
    .await?;
    for row in &lights {
        let c = out.entry(row.try_get("", "department_id")?).or_default();
        c.red = sql::int(row, "red")?;
        c.yellow = sql::int(row, "yellow")?;
    }
    for c in out.values_mut() {
        c.green = c.open - c.paused - c.red - c.yellow;
    }
    let items = sql::rows(
        db,
        &format!(
            "SELECT s.department_id AS department_id, COUNT(*) AS open, \
               SUM(CASE WHEN s.level = 'RED_CARD' THEN 1 ELSE 0 END) AS red_cards, \
               MIN(s.opened_at) AS oldest \
             FROM supervision_items s WHERE s.status <> 'ARCHIVED'{} GROUP BY s.department_id",
            only("s.department_id")
        ),
        with(vec![]),
    )
    .await?;
    for row in &items {
        let c = out.entry(row.try_get("", "department_id")?).or_default();
        c.open_supervision = sql::int(row, "open")?;
        c.red_card_items = sql::int(row, "red_cards")?;
        c.oldest_item_opened_at = row.try_get("", "oldest")?;
    }
    Ok(out)
}
