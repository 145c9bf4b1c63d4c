//! The jobs, each a function of the workers and an instant: the deadline sweep, the outbox
//! sender, the leadership digest and the absence switcher. Idempotent: running one twice at the
//! same instant does nothing the second time.

use crate::mail::Mailer;
use crate::metrics::Metrics;
use chrono::{DateTime, Utc};
use lianban_engine::appointments::AppointmentSweep;
use lianban_engine::escalation::SweepOutcome;
use lianban_engine::follow_up::FollowUpOutcome;
use lianban_engine::people::absences::SwitchOutcome;
use lianban_engine::{Engine, Result};
use lianban_rules::OutboxStatus;
use lianban_rules::mail::RetryPolicy;
use std::sync::Arc;
use std::time::Instant;

/// The jobs' numbers.
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// Clocks per sweep transaction.
    pub sweep_batch: u64,
    /// Concurrent streams of sweep batches (PostgreSQL; SQLite uses one).
    pub sweep_streams: usize,
    /// Messages claimed at a time.
    pub send_batch: u64,
    /// How the sender retries.
    pub retry: RetryPolicy,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        WorkerSettings {
            sweep_batch: 1000,
            sweep_streams: 2,
            send_batch: 100,
            retry: RetryPolicy::default(),
        }
    }
}

/// What one run of the sender did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SendOutcome {
    /// Delivered.
    pub sent: u64,
    /// Failed attempts (they wait for a retry, unless given up).
    pub failed: u64,
    /// Given up: after the last attempt, or at once for a message whose template is unknown or
    /// whose payload is not the template's.
    pub given_up: u64,
}

/// What one round of the `sweep` job did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SweepRound {
    /// The deadline sweep.
    pub sweep: SweepOutcome,
    /// The follow-up alerts of supervision items, rectifications and complaints.
    pub follow_ups: FollowUpOutcome,
    /// Appointment reminders sent, missed bookings recorded, unconfirmed ones lapsed.
    pub appointments: AppointmentSweep,
    /// Sign-in and booking counters forgotten.
    pub throttles_pruned: u64,
    /// Coming days with nobody on duty, alerted to the centre admin.
    pub duty_gaps: usize,
}

/// What one tick of every job did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TickOutcome {
    /// The absence switcher.
    pub absences: SwitchOutcome,
    /// The deadline sweep.
    pub sweep: SweepOutcome,
    /// The follow-up alerts of supervision items, rectifications and complaints.
    pub follow_ups: FollowUpOutcome,
    /// Appointment reminders sent and missed bookings recorded.
    pub appointments: AppointmentSweep,
    /// Coming days with nobody on duty, alerted to the centre admin.
    pub duty_gaps: usize,
    /// The sender.
    pub send: SendOutcome,
}

/// Everything the jobs need.
#[derive(Debug)]
pub struct Workers {
    /// The engine.
    pub engine: Engine,
    /// Where mail goes.
    pub mailer: Mailer,
    /// The jobs' numbers.
    pub settings: WorkerSettings,
    /// Counters for `/metrics`.
    pub metrics: Arc<Metrics>,
}

impl Workers {
    /// The deadline sweep: every escalation step due at `now`, exactly once.
    ///
    /// # Errors
    /// An engine error; the failed batch was rolled back and the next sweep redoes it.
    pub async fn sweep(&self, now: DateTime<Utc>) -> Result<SweepOutcome> {
        let started = Instant::now();
        let outcome = self
            .engine
            .sweep(now, self.settings.sweep_batch, self.settings.sweep_streams)
            .await;
        self.metrics.sweeps.inc();
        self.metrics
            .sweep_seconds
            .observe(started.elapsed().as_secs_f64());
        let outcome = outcome?;
        // The boards' open-clock tallies, folded once a sweep.
        self.engine.fold_clock_tallies().await?;
        self.metrics.clocks_examined.inc_by(outcome.examined);
        self.metrics.deemed.inc_by(outcome.deemed);
        for (kind, n) in &outcome.fired {
            self.metrics.fired(kind, *n);
        }
        Ok(outcome)
    }

    /// The scheduled `sweep` job — the one list of what a sweep does, which `tick` runs too:
    /// the deadline sweep, then the sweeps beside it (supervision and complaint follow-ups,
    /// appointment reminders, missed and lapsed bookings, the sign-in counters nobody touched
    /// for a day, the duty roster's gaps).
    ///
    /// # Errors
    /// The first job error.
    pub async fn sweep_all(&self, now: DateTime<Utc>) -> Result<SweepRound> {
        let sweep = self.sweep(now).await?;
        let follow_ups = self.engine.sweep_follow_ups(now).await?;
        let appointments = self.engine.sweep_appointments(now).await?;
        let throttles_pruned = self.engine.prune_throttles(now).await?;
        let duty_gaps = self.engine.check_duty_gaps(now).await?.len();
        Ok(SweepRound {
            sweep,
            follow_ups,
            appointments,
            throttles_pruned,
            duty_gaps,
        })
    }

    /// The sender: delivers every message due at `now`, retrying with backoff.
    ///
    /// # Errors
    /// An engine error (a delivery failure is not an error: it is recorded and retried).
    pub async fn send(&self, now: DateTime<Utc>) -> Result<SendOutcome> {
        let mut outcome = SendOutcome::default();
        loop {
            let batch = self
                .engine
                .claim_messages(now, self.settings.send_batch, &self.settings.retry)
                .await?;
            for message in &batch {
                // A message that does not read back as a template's mail never will: it fails
                // at once, with the reason, rather than after every retry.
                let mail = match message.mail() {
                    Ok(mail) => mail,
                    Err(err) => {
                        tracing::error!(message = %message.message_id, template = %message.template, error = %err, "mail cannot be read; marked failed");
                        self.engine
                            .mark_undeliverable(message, &err.to_string(), now)
                            .await?;
                        self.metrics.messages_failed.inc();
                        self.metrics.messages_given_up.inc();
                        outcome.failed += 1;
                        outcome.given_up += 1;
                        continue;
                    }
                };
                let facts = match mail.case_id() {
                    Some(case_id) => self.engine.mail_facts(case_id).await?,
                    None => None,
                };
                match self.mailer.send(message, &mail, facts.as_ref()).await {
                    Ok(()) => {
                        self.engine.mark_sent(message.id, now).await?;
                        self.metrics.messages_sent.inc();
                        outcome.sent += 1;
                    }
                    Err(err) => {
                        tracing::warn!(message = %message.message_id, attempt = message.attempts, error = %err, "mail not delivered");
                        let status = self
                            .engine
                            .mark_attempt_failed(
                                message,
                                &err.to_string(),
                                now,
                                &self.settings.retry,
                            )
                            .await?;
                        self.metrics.messages_failed.inc();
                        outcome.failed += 1;
                        if status == OutboxStatus::Failed {
                            self.metrics.messages_given_up.inc();
                            outcome.given_up += 1;
                        }
                    }
                }
            }
            if (batch.len() as u64) < self.settings.send_batch {
                break;
            }
        }
        Ok(outcome)
    }

    /// The leadership morning digest (working days only).
    ///
    /// # Errors
    /// An engine error.
    pub async fn digest(&self, now: DateTime<Utc>) -> Result<u64> {
        self.engine.leadership_digest(now).await
    }

    /// The absence switcher: tasks move to stand-ins while holders are away, and back.
    ///
    /// # Errors
    /// An engine error.
    pub async fn switch_absences(&self, now: DateTime<Utc>) -> Result<SwitchOutcome> {
        self.engine.switch_absences(now).await
    }

    /// One tick of the frequent jobs, in order: absences, the `sweep` job's round, the sender.
    ///
    /// # Errors
    /// The first job error.
    pub async fn tick(&self, now: DateTime<Utc>) -> Result<TickOutcome> {
        let absences = self.switch_absences(now).await?;
        let SweepRound {
            sweep,
            follow_ups,
            appointments,
            throttles_pruned: _,
            duty_gaps,
        } = self.sweep_all(now).await?;
        let send = self.send(now).await?;
        Ok(TickOutcome {
            absences,
            sweep,
            follow_ups,
            appointments,
            duty_gaps,
            send,
        })
    }

    /// Sets the pending-messages gauge (on scrape).
    ///
    /// # Errors
    /// An engine error.
    pub async fn refresh_gauges(&self) -> Result<()> {
        let pending = self.engine.pending_messages().await?;
        self.metrics
            .messages_pending
            .set(i64::try_from(pending).unwrap_or(i64::MAX));
        Ok(())
    }
}
