//! 催办/督办 — the deadline sweep. It reads only clocks whose next rung is due (an index on
//! `(state, next_rung_at)`), a batch at a time, each batch in one short transaction that claims
//! its clocks (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so several workers share the work and
//! never fire a rung twice) and writes the messages, events, supervision items and the clocks'
//! new place on the ladder together. A worker killed mid-batch leaves nothing behind: its batch
//! rolls back and the next sweep does it.

mod digest;
mod directory;
mod load;

use crate::engine::Engine;
use crate::error::Result;
use crate::mail::outbox;
use chrono::{DateTime, Utc};
pub(crate) use directory::load as load_directory;
use lianban_entity::{SupervisionLevel, supervision_item};
use lianban_rules::calendar::WorkingCalendar;
use lianban_rules::escalation as plan;
pub(crate) use lianban_rules::escalation::Directory;
use sea_orm::DbBackend;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::BTreeMap;
use std::sync::Arc;

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

impl SweepOutcome {
    fn add(&mut self, other: SweepOutcome) {
        self.examined += other.examined;
        self.deemed += other.deemed;
        self.batches += other.batches;
        for (kind, n) in other.fired {
            *self.fired.entry(kind).or_default() += n;
        }
    }
}

impl Engine {
    /// Runs the escalation ladder for every clock due at `now`, `batch` clocks per transaction,
    /// in `streams` concurrent streams of batches on PostgreSQL (they skip each other's rows;
    /// SQLite, with one writer, uses one).
    ///
    /// # Errors
    /// `INTERNAL` on a database fault (the failed batch is rolled back; the next sweep redoes it).
    pub async fn sweep(
        &self,
        now: DateTime<Utc>,
        batch: u64,
        streams: usize,
    ) -> Result<SweepOutcome> {
        let calendar = self.sync_calendar().await?;
        let dir = Arc::new(load_directory(self.db(), now).await?);
        let streams = if self.db().get_database_backend() == DbBackend::Postgres {
            streams.max(1)
        } else {
            1
        };
        // One batch first: a small sweep (the usual case) stays one batch, so each person gets
        // one mail per kind of step; only a sweep with more to do fans out into streams.
        let mut outcome = self.sweep_stream(&calendar, &dir, now, batch, true).await?;
        if outcome.examined < batch {
            return Ok(outcome);
        }
        let mut running = tokio::task::JoinSet::new();
        for _ in 0..streams {
            let (engine, calendar, dir) = (self.clone(), calendar.clone(), dir.clone());
            running.spawn(async move {
                engine
                    .sweep_stream(&calendar, &dir, now, batch, false)
                    .await
            });
        }
        let mut failure = None;
        while let Some(done) = running.join_next().await {
            match done.map_err(|e| crate::error::Error::Internal(format!("sweep stream: {e}"))) {
                Ok(Ok(part)) => outcome.add(part),
                Ok(Err(err)) | Err(err) => failure = Some(err),
            }
        }
        match failure {
            Some(err) => Err(err),
            None => Ok(outcome),
        }
    }

    /// One stream of batches, until no due clock is left for it (or one batch when `once`).
    async fn sweep_stream(
        &self,
        calendar: &WorkingCalendar,
        dir: &Directory,
        now: DateTime<Utc>,
        batch: u64,
        once: bool,
    ) -> Result<SweepOutcome> {
        let mut outcome = SweepOutcome::default();
        loop {
            let (gate, txn) = self.begin_write().await?;
            let clocks = load::claim_due(&txn, now, batch).await?;
            if clocks.is_empty() {
                txn.commit().await?;
                break;
            }
            let fx = plan::plan(calendar, dir, self.ladder(), &clocks, now)?;
            outbox::enqueue_many(&txn, now, fx.messages).await?;
            load::record_events(&txn, now, fx.events).await?;
            crate::supervision::open_many(&txn, now, fx.opened).await?;
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
            crate::scoring::write(&txn, Some(&dir.points), fx.scores).await?;
            load::update_clocks(&txn, &fx.updates).await?;
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
            if once || (clocks.len() as u64) < batch {
                break;
            }
        }
        Ok(outcome)
    }
}
