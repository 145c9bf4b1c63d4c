//! 邮件 — a message a decision asks to be sent: to whom, which template, what it says (the
//! engine queues it in the outbox in the same transaction as the event that causes it); how the
//! sender retries; and the facts a template names about a case.

use crate::clocks::Light;
use chrono::{DateTime, Duration, Utc};
use serde_json::Value;
use uuid::Uuid;

/// A message to queue.
#[derive(Debug, Clone)]
pub struct NewMessage {
    /// Stable id: the same id is never queued twice.
    pub message_id: String,
    /// The staff member it is for.
    pub recipient_id: Option<Uuid>,
    /// Their address.
    pub recipient_email: String,
    /// Template key (`calendar_year_missing`, `task_reminder`, …).
    pub template: &'static str,
    /// What the template fills in.
    pub payload: Value,
}

/// How the sender retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts before a message is marked failed.
    pub max_attempts: i32,
    /// The first retry waits this long; each later one twice as long as the one before.
    pub base: Duration,
    /// The longest wait.
    pub cap: Duration,
    /// How long a claimed message is reserved for the worker sending it.
    pub lease: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 8,
            base: Duration::seconds(30),
            cap: Duration::hours(1),
            lease: Duration::minutes(2),
        }
    }
}

impl RetryPolicy {
    /// Where a message stands after its `attempts`th attempt failed: waiting for the next, or
    /// given up after the last.
    pub fn after_failure(&self, attempts: i32) -> crate::enums::OutboxStatus {
        if attempts >= self.max_attempts {
            crate::enums::OutboxStatus::Failed
        } else {
            crate::enums::OutboxStatus::Pending
        }
    }

    /// The wait after the `attempts`th failed attempt.
    pub fn backoff(&self, attempts: i32) -> Duration {
        let doublings = u32::try_from((attempts - 1).clamp(0, 20)).unwrap_or(0);
        let wait = self.base * 2i32.pow(doublings);
        wait.min(self.cap)
    }
}

/// What a template names about a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailFacts {
    /// 办件编号.
    pub number: String,
    /// The matter's name.
    pub matter: String,
    /// The lead department's name.
    pub department: String,
    /// The case's due time, once accepted.
    pub due_at: Option<DateTime<Utc>>,
    /// The case's light now, once accepted.
    pub light: Option<Light>,
}
