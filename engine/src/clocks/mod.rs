//! Clocks in the database: starting, pausing, resuming and stopping a case's or task's
//! statutory clock, reading it, and recomputing open clocks when the calendar changes. The rules
//! are in [`lianban_rules::clocks`]; this module loads, applies and writes them.

use crate::engine::Engine;
use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use lianban_entity::{ClockState, LimitUnit, clock, clock_pause};
use lianban_rules::calendar::WorkingCalendar;
use lianban_rules::clocks::{Pause, Reading, StatutoryClock};
use lianban_rules::escalation::ladder::{self, Progress};
use sea_orm::sea_query::{Expr, UpdateStatement};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter, QueryOrder, QueryTrait,
};
use std::collections::HashMap;
use uuid::Uuid;

mod missing_years;

/// A clock as portals read it.
#[derive(Debug, Clone)]
pub struct ClockView {
    /// The clock as stored.
    pub clock: crate::views::ClockRecord,
    /// Its pauses, in order.
    pub pauses: Vec<Pause>,
    /// What it says now.
    pub reading: Reading,
}

/// Rebuilds the rule-level clock of a row and its pauses.
pub(super) fn statutory(
    row: &clock::Model,
    pauses: &[clock_pause::Model],
) -> Result<StatutoryClock> {
    let pauses = pauses
        .iter()
        .map(|p| Pause {
            from: p.paused_at,
            to: p.resumed_at,
            reason: p.reason.clone(),
        })
        .collect();
    StatutoryClock::restore(
        row.unit.into(),
        row.budget,
        row.started_at,
        pauses,
        row.stopped_at,
    )
    .map_err(|e| Error::Internal(format!("clock {}: {e}", row.id)))
}

pub(super) async fn pauses_of<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<clock_pause::Model>>> {
    let mut by_clock: HashMap<Uuid, Vec<clock_pause::Model>> = HashMap::new();
    if ids.is_empty() {
        return Ok(by_clock);
    }
    for chunk in ids.chunks(500) {
        let rows = clock_pause::Entity::find()
            .filter(clock_pause::Column::ClockId.is_in(chunk.iter().copied()))
            .order_by_asc(clock_pause::Column::PausedAt)
            .all(db)
            .await?;
        for row in rows {
            by_clock.entry(row.clock_id).or_default().push(row);
        }
    }
    Ok(by_clock)
}

mod read;

/// The writes that stop clock `id` at `now` (its step is done), closing an open pause — to run
/// in turn or in one [`crate::store::batch::Batch`] (they touch different tables).
pub(crate) fn stop_writes(id: Uuid, now: DateTime<Utc>) -> [UpdateStatement; 2] {
    [
        clock_pause::Entity::update_many()
            .col_expr(clock_pause::Column::ResumedAt, Expr::value(Some(now)))
            .filter(clock_pause::Column::ClockId.eq(id))
            .filter(clock_pause::Column::ResumedAt.is_null())
            .into_query(),
        clock::Entity::update_many()
            .col_expr(clock::Column::State, Expr::value(ClockState::Stopped))
            .col_expr(clock::Column::StoppedAt, Expr::value(Some(now)))
            .filter(clock::Column::Id.eq(id))
            .filter(clock::Column::State.ne(ClockState::Stopped))
            .into_query(),
    ]
}

impl Engine {
    /// The clocks that start at `start` for a case (its own clock and its task clocks), each
    /// `(unit, budget, task, department it answers to)`, and the years their spans reach that
    /// the calendar does not publish yet (the centre admins are warned of them).
    ///
    /// # Errors
    /// `INVALID_INPUT` for a budget the rules refuse.
    pub(crate) fn clock_rows(
        &self,
        calendar: &WorkingCalendar,
        start: DateTime<Utc>,
        case_id: Uuid,
        limits: &[(LimitUnit, i64, Option<Uuid>, Uuid)],
        urgent: bool,
    ) -> Result<(Vec<clock::Model>, Vec<i32>)> {
        let mut rows = Vec::with_capacity(limits.len());
        let mut missing: Vec<i32> = Vec::new();
        for &(unit, budget, task_id, department_id) in limits {
            let rule = StatutoryClock::new(unit.into(), budget, start)?;
            let due = rule.due_at(calendar, start)?;
            let years = calendar.provisional_years(start, due);
            for y in &years {
                if !missing.contains(y) {
                    missing.push(*y);
                }
            }
            rows.push(clock::Model {
                id: Uuid::now_v7(),
                case_id,
                task_id,
                department_id: Some(department_id),
                rung: 0,
                reminders: 0,
                next_rung_at: ladder::next_at(
                    calendar,
                    unit.into(),
                    due,
                    Progress::default(),
                    &self.ladder().for_clock(urgent),
                )?,
                unit,
                budget,
                started_at: start,
                due_at: due,
                state: ClockState::Running,
                stopped_at: None,
                provisional: !years.is_empty(),
                urgent,
            });
        }
        Ok((rows, missing))
    }

    /// Loads a clock with its pauses.
    async fn load_clock<C: ConnectionTrait>(
        &self,
        txn: &C,
        id: Uuid,
    ) -> Result<(clock::Model, StatutoryClock)> {
        let row = clock::Entity::find_by_id(id)
            .one(txn)
            .await?
            .ok_or_else(|| Error::Internal(format!("clock {id} missing")))?;
        let pauses = pauses_of(txn, &[id]).await?.remove(&id).unwrap_or_default();
        let rule = statutory(&row, &pauses)?;
        Ok((row, rule))
    }

    /// Pauses a running clock at `at`.
    ///
    /// # Errors
    /// `INVALID_STATE` when it is already paused or stopped.
    pub(crate) async fn pause_clock<C: ConnectionTrait>(
        &self,
        txn: &C,
        id: Uuid,
        at: DateTime<Utc>,
        reason: &str,
    ) -> Result<()> {
        let (_, mut rule) = self.load_clock(txn, id).await?;
        rule.pause(at, reason)?;
        clock_pause::ActiveModel {
            id: Set(Uuid::now_v7()),
            clock_id: Set(id),
            paused_at: Set(at),
            resumed_at: Set(None),
            reason: Set(reason.to_owned()),
        }
        .insert(txn)
        .await?;
        clock::Entity::update_many()
            .col_expr(clock::Column::State, Expr::value(ClockState::Paused))
            .filter(clock::Column::Id.eq(id))
            .exec(txn)
            .await?;
        Ok(())
    }

    /// Resumes a paused clock at `at`; its due time moves by the paused working time.
    ///
    /// # Errors
    /// `INVALID_STATE` when it is not paused.
    pub(crate) async fn resume_clock<C: ConnectionTrait>(
        &self,
        txn: &C,
        calendar: &WorkingCalendar,
        id: Uuid,
        at: DateTime<Utc>,
    ) -> Result<DateTime<Utc>> {
        let (row, mut rule) = self.load_clock(txn, id).await?;
        rule.resume(at)?;
        let due = rule.due_at(calendar, at)?;
        let next = self.next_rung(calendar, &row, due)?;
        clock_pause::Entity::update_many()
            .col_expr(clock_pause::Column::ResumedAt, Expr::value(Some(at)))
            .filter(clock_pause::Column::ClockId.eq(id))
            .filter(clock_pause::Column::ResumedAt.is_null())
            .exec(txn)
            .await?;
        clock::Entity::update_many()
            .col_expr(clock::Column::State, Expr::value(ClockState::Running))
            .col_expr(clock::Column::DueAt, Expr::value(due))
            .col_expr(clock::Column::NextRungAt, Expr::value(next))
            .col_expr(
                clock::Column::Provisional,
                Expr::value(!calendar.provisional_years(rule.started_at, due).is_empty()),
            )
            .filter(clock::Column::Id.eq(id))
            .exec(txn)
            .await?;
        Ok(due)
    }

    /// Recomputes one clock's due time after its budget changed (an extension, a report to the
    /// upper authority); a paused clock keeps the due time it had when it paused.
    pub(crate) async fn recompute_clock<C: ConnectionTrait>(
        &self,
        txn: &C,
        calendar: &WorkingCalendar,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<DateTime<Utc>> {
        let (row, rule) = self.load_clock(txn, id).await?;
        let due = rule.stored_due(calendar, now)?;
        let provisional = !calendar.provisional_years(rule.started_at, due).is_empty();
        clock::Entity::update_many()
            .col_expr(clock::Column::DueAt, Expr::value(due))
            .col_expr(clock::Column::Provisional, Expr::value(provisional))
            .col_expr(
                clock::Column::NextRungAt,
                Expr::value(self.next_rung(calendar, &row, due)?),
            )
            .filter(clock::Column::Id.eq(id))
            .exec(txn)
            .await?;
        Ok(due)
    }

    /// When a clock's next escalation step falls, for its due time `due` and the rungs it has
    /// already fired.
    pub(crate) fn next_rung(
        &self,
        calendar: &WorkingCalendar,
        row: &clock::Model,
        due: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>> {
        let progress = Progress {
            rung: row.rung,
            reminders: row.reminders,
        };
        Ok(ladder::next_at(
            calendar,
            row.unit.into(),
            due,
            progress,
            &self.ladder().for_clock(row.urgent),
        )?)
    }

    /// Reopens a stopped clock as paused since its stop (a department asked to review again
    /// once new material arrives); resuming it moves its due time by the time in between.
    pub(crate) async fn reopen_clock<C: ConnectionTrait>(
        &self,
        txn: &C,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let (row, _) = self.load_clock(txn, id).await?;
        if row.state != ClockState::Stopped {
            return Ok(());
        }
        clock_pause::ActiveModel {
            id: Set(Uuid::now_v7()),
            clock_id: Set(id),
            paused_at: Set(row.stopped_at.unwrap_or(now)),
            resumed_at: Set(None),
            reason: Set("等待补正后复审".to_owned()),
        }
        .insert(txn)
        .await?;
        clock::Entity::update_many()
            .col_expr(clock::Column::State, Expr::value(ClockState::Paused))
            .col_expr(
                clock::Column::StoppedAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(clock::Column::Id.eq(id))
            .exec(txn)
            .await?;
        Ok(())
    }

    /// Stops a clock (its step is done), closing an open pause.
    pub(crate) async fn stop_clock<C: ConnectionTrait>(
        &self,
        txn: &C,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<()> {
        for write in stop_writes(id, now) {
            txn.execute(&write).await?;
        }
        Ok(())
    }

    /// Recomputes the due time and the provisional mark of every clock still counting whose span
    /// can touch `year` (it started by the year's end, and it is paused or due after the year's
    /// start), on `calendar`; returns how many changed.
    pub(crate) async fn recompute_open_clocks<C: ConnectionTrait>(
        &self,
        txn: &C,
        calendar: &WorkingCalendar,
        year: i32,
        now: DateTime<Utc>,
    ) -> Result<u64> {
        let day = |y| {
            NaiveDate::from_ymd_opt(y, 1, 1).ok_or_else(|| Error::invalid("year", "out of range"))
        };
        let year_start = calendar.instant(day(year)?, NaiveTime::MIN);
        let year_end = calendar.instant(day(year + 1)?, NaiveTime::MIN);
        let open = clock::Entity::find()
            .filter(clock::Column::State.ne(ClockState::Stopped))
            .filter(clock::Column::StartedAt.lt(year_end))
            .filter(
                Condition::any()
                    .add(clock::Column::State.eq(ClockState::Paused))
                    .add(clock::Column::DueAt.gte(year_start)),
            )
            .all(txn)
            .await?;
        let ids: Vec<Uuid> = open.iter().map(|c| c.id).collect();
        let mut pauses = pauses_of(txn, &ids).await?;
        let mut changed = 0;
        for row in open {
            let rule = statutory(&row, &pauses.remove(&row.id).unwrap_or_default())?;
            let due = rule.stored_due(calendar, now)?;
            let provisional = !calendar.provisional_years(rule.started_at, due).is_empty();
            if due != row.due_at || provisional != row.provisional {
                clock::Entity::update_many()
                    .col_expr(clock::Column::DueAt, Expr::value(due))
                    .col_expr(clock::Column::Provisional, Expr::value(provisional))
                    .col_expr(
                        clock::Column::NextRungAt,
                        Expr::value(self.next_rung(calendar, &row, due)?),
                    )
                    .filter(clock::Column::Id.eq(row.id))
                    .exec(txn)
                    .await?;
                changed += 1;
            }
        }
        Ok(changed)
    }
}
