//! 催办/督办 — the deadline sweep. It reads only clocks whose next rung is due (an index on
//! `(state, next_rung_at)`), a batch at a time, each batch in one short transaction that claims
//! its clocks (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so several workers share the work and
//! never fire a rung twice) and writes the messages, events, supervision items and the clocks'
//! new place on the ladder together. A worker killed mid-batch leaves nothing behind: its batch
//! rolls back and the next sweep does it.

mod directory;
mod plan;

use crate::engine::Engine;
use crate::error::Result;
use crate::events;
use crate::outbox;
use chrono::{DateTime, Utc};
use directory::Directory;
use lianban_entity::{ClockState, SupervisionLevel, case, clock, supervision_item, task};
use plan::ClockUpdate;
use sea_orm::sea_query::{Expr, LockBehavior, LockType, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Statement, Value,
};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// What one sweep did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SweepOutcome {
    /// Clocks read (each was due for a step).
    pub examined: u64,
    /// Steps fired, by kind (`reminder`, `due`, `yellow_card`, `red_card`, `daily`).
    pub fired: BTreeMap<&'static str, u64>,
    /// Tasks resolved as deemed approvals.
    pub deemed: u64,
    /// Batches (transactions).
    pub batches: u64,
}

impl Engine {
    /// Runs the escalation ladder for every clock due at `now`, `batch` clocks per transaction.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault (the failed batch is rolled back; the next sweep redoes it).
    pub async fn sweep(&self, now: DateTime<Utc>, batch: u64) -> Result<SweepOutcome> {
        let calendar = self.sync_calendar().await?;
        let dir = Directory::load(self.db(), now).await?;
        let mut outcome = SweepOutcome::default();
        loop {
            let (gate, txn) = self.begin_write().await?;
            let mut query = clock::Entity::find()
                .filter(clock::Column::State.eq(ClockState::Running))
                .filter(clock::Column::NextRungAt.lte(now))
                .order_by_asc(clock::Column::NextRungAt)
                .limit(batch);
            if self.db().get_database_backend() == DbBackend::Postgres {
                query = query.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
            }
            let clocks = query.all(&txn).await?;
            if clocks.is_empty() {
                txn.commit().await?;
                break;
            }
            let task_ids: Vec<Uuid> = clocks.iter().filter_map(|c| c.task_id).collect();
            let case_ids: Vec<Uuid> = clocks.iter().map(|c| c.case_id).collect();
            let tasks: HashMap<Uuid, task::Model> = task::Entity::find()
                .filter(task::Column::Id.is_in(task_ids))
                .all(&txn)
                .await?
                .into_iter()
                .map(|t| (t.id, t))
                .collect();
            let cases: HashMap<Uuid, case::Model> = case::Entity::find()
                .filter(case::Column::Id.is_in(case_ids))
                .all(&txn)
                .await?
                .into_iter()
                .map(|c| (c.id, c))
                .collect();
            let fx = plan::plan(&calendar, &dir, self.ladder(), &clocks, &tasks, &cases, now)?;
            for chunk in fx.messages.chunks(1000) {
                outbox::enqueue_many(&txn, now, chunk.to_vec()).await?;
            }
            for chunk in fx.events.chunks(1000) {
                events::record(&txn, now, chunk.to_vec()).await?;
            }
            if !fx.opened.is_empty() {
                supervision_item::Entity::insert_many(fx.opened.clone())
                    .on_conflict(
                        OnConflict::column(supervision_item::Column::ClockId)
                            .do_nothing()
                            .to_owned(),
                    )
                    .exec_without_returning(&txn)
                    .await?;
            }
            if !fx.raised.is_empty() {
                supervision_item::Entity::update_many()
                    .col_expr(
                        supervision_item::Column::Level,
                        Expr::value(SupervisionLevel::RedCard),
                    )
                    .col_expr(supervision_item::Column::RaisedAt, Expr::value(Some(now)))
                    .filter(supervision_item::Column::ClockId.is_in(fx.raised.iter().copied()))
                    .exec(&txn)
                    .await?;
            }
            for chunk in fx.updates.chunks(1000) {
                update_clocks(&txn, chunk).await?;
            }
            txn.commit().await?;
            drop(gate); // deeming a task takes its own place in the writers' queue
            outcome.examined += clocks.len() as u64;
            outcome.batches += 1;
            for (kind, n) in fx.fired {
                *outcome.fired.entry(kind).or_default() += n;
            }
            for task_id in fx.deemed {
                if self.deem_at_deadline(task_id, now).await? {
                    outcome.deemed += 1;
                }
            }
            if (clocks.len() as u64) < batch {
                break;
            }
        }
        Ok(outcome)
    }
}

/// Moves many clocks up the ladder in one statement (`WITH v(...) AS (VALUES …) UPDATE … FROM v`,
/// which both PostgreSQL and SQLite understand).
async fn update_clocks<C: ConnectionTrait>(db: &C, updates: &[ClockUpdate]) -> Result<()> {
    if updates.is_empty() {
        return Ok(());
    }
    let backend = db.get_database_backend();
    let mut values: Vec<Value> = Vec::with_capacity(updates.len() * 4);
    let mut rows = Vec::with_capacity(updates.len());
    for (i, u) in updates.iter().enumerate() {
        let n = i * 4;
        rows.push(match backend {
            DbBackend::Postgres => format!(
                "(${}::uuid, ${}::int, ${}::int, ${}::timestamptz)",
                n + 1,
                n + 2,
                n + 3,
                n + 4
            ),
            _ => "(?, ?, ?, ?)".to_owned(),
        });
        values.push(u.id.into());
        values.push(u.rung.into());
        values.push(u.reminders.into());
        values.push(u.next.into());
    }
    let sql = format!(
        "WITH v(id, rung, reminders, next_rung_at) AS (VALUES {}) \
         UPDATE clocks SET rung = v.rung, reminders = v.reminders, next_rung_at = v.next_rung_at \
         FROM v WHERE clocks.id = v.id",
        rows.join(", ")
    );
    db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    Ok(())
}
