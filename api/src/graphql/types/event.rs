//! Timeline events.

use super::{Staff, staff_link};
use async_graphql::{Context, ID, Json, Object};
use chrono::{DateTime, Utc};
use lianban_engine::views::EventView;

/// 事件 — one entry of a case's timeline.
pub struct Event(pub EventView);

#[Object]
impl Event {
    /// Position in the log.
    async fn id(&self) -> ID {
        ID(self.0.seq.to_string())
    }

    /// What happened (`CASE_OPENED`, `CASE_ACCEPTED`, `TASK_CREATED`, …).
    async fn kind(&self) -> &str {
        &self.0.kind
    }

    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }

    /// Who did it; empty when the engine itself did.
    async fn actor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Staff>> {
        staff_link(ctx, self.0.actor_id).await
    }

    /// Whom the actor acted for.
    async fn acting_for(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Staff>> {
        staff_link(ctx, self.0.acting_for_id).await
    }

    /// The task it concerns.
    async fn task_id(&self) -> Option<ID> {
        self.0.task_id.map(|id| ID(id.to_string()))
    }

    async fn before(&self) -> Option<Json<serde_json::Value>> {
        self.0.before.clone().map(Json)
    }

    async fn after(&self) -> Option<Json<serde_json::Value>> {
        self.0.after.clone().map(Json)
    }
}
