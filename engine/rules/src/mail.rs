//! 邮件 — a message a decision asks to be sent: to whom, which template, what it says. The
//! engine queues it in the outbox in the same transaction as the event that causes it.

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
