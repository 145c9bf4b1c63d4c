//! 发件箱 — messages written in the same transaction as the change that causes them; the
//! sender (a worker) delivers them later. A stable `message_id` makes each message unique, so
//! writing the same message twice keeps one.

use crate::error::Result;
use chrono::{DateTime, Utc};
use lianban_entity::{OutboxStatus, outbox};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
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

fn row(at: DateTime<Utc>, message: NewMessage) -> outbox::ActiveModel {
    outbox::ActiveModel {
        id: Set(Uuid::now_v7()),
        event_seq: Set(None),
        message_id: Set(message.message_id),
        recipient_id: Set(message.recipient_id),
        recipient_email: Set(message.recipient_email),
        template: Set(message.template.to_owned()),
        payload: Set(message.payload),
        status: Set(OutboxStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(at),
        last_error: Set(None),
        created_at: Set(at),
        sent_at: Set(None),
    }
}

/// Queues several messages in one statement, skipping any whose `message_id` exists.
///
/// # Errors
/// `INTERNAL` on a database fault.
pub async fn enqueue_many<C: ConnectionTrait>(
    db: &C,
    at: DateTime<Utc>,
    messages: Vec<NewMessage>,
) -> Result<u64> {
    if messages.is_empty() {
        return Ok(0);
    }
    let inserted = outbox::Entity::insert_many(messages.into_iter().map(|m| row(at, m)))
        .on_conflict(
            OnConflict::column(outbox::Column::MessageId)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(inserted)
}

/// Queues a message unless one with the same `message_id` exists; returns whether it was new.
///
/// # Errors
/// `INTERNAL` on a database fault.
pub async fn enqueue<C: ConnectionTrait>(
    db: &C,
    at: DateTime<Utc>,
    message: NewMessage,
) -> Result<bool> {
    let inserted = outbox::Entity::insert(row(at, message))
        .on_conflict(
            OnConflict::column(outbox::Column::MessageId)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(inserted == 1)
}
