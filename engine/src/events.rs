//! 事件 — the append-only log. Every change writes its events in the same transaction;
//! nothing here updates or deletes one. What an event is lives in `lianban_rules::events`.

use crate::error::Result;
use chrono::{DateTime, Utc};
use lianban_entity::event;
pub use lianban_rules::events::{EventKind, NewEvent};
use sea_orm::sea_query::InsertStatement;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, NotSet, QueryTrait};

/// Appends events at instant `at`, in order.
///
/// # Errors
/// `INTERNAL` when the database refuses the write.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    at: DateTime<Utc>,
    events: Vec<NewEvent>,
) -> Result<()> {
    if let Some(insert) = insert(at, events) {
        db.execute(&insert).await?;
    }
    Ok(())
}

/// The statement appending `events` at instant `at`, in order (`None` for no events), to run
/// alone or in a [`crate::store::batch::Batch`].
pub(crate) fn insert(at: DateTime<Utc>, events: Vec<NewEvent>) -> Option<InsertStatement> {
    if events.is_empty() {
        return None;
    }
    let rows = events.into_iter().map(|e| event::ActiveModel {
        seq: NotSet,
        case_id: Set(e.case_id),
        task_id: Set(e.task_id),
        actor_id: Set(e.actor_id),
        acting_for_id: Set(e.acting_for_id),
        kind: Set(e.kind.as_str().to_owned()),
        at: Set(at),
        before: Set(e.before),
        after: Set(e.after),
    });
    Some(event::Entity::insert_many(rows).into_query())
}
