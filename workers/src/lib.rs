//! Lianban's scheduled workers and mailer. Each job is a function first —
//! `run_once(workers, now) -> Outcome`, idempotent, reading time only from its argument — and
//! the cron registration (`schedule`) is a thin wrapper around it. The rules live in the engine;
//! this crate decides when they run and how mail leaves.

pub mod jobs;
pub mod mail;
pub mod metrics;
pub mod schedule;

pub use jobs::{WorkerSettings, Workers};
pub use mail::{Mailer, MailerConfig, SecurityMode, SentMail, TransportConfig};
pub use metrics::Metrics;
