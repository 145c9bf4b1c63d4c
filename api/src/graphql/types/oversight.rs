//! Supervision items and outbox messages.

use super::{Case, Department, Staff, case_link, department_link, staff_link};
use crate::graphql::enums::{OutboxStatus, SupervisionLevel, SupervisionSource, SupervisionStatus};
use async_graphql::{Context, ID, Json, Object};
use chrono::{DateTime, Utc};
use lianban_engine::views::{OutboxMessageView, SupervisionItemView};

/// 督办事项.
pub struct SupervisionItem(pub SupervisionItemView);

#[Object]
impl SupervisionItem {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn detail(&self) -> &str {
        &self.0.detail
    }

    async fn source(&self) -> SupervisionSource {
        self.0.source.into()
    }

    /// 黄牌 (the centre admin follows it) or 红牌 (raised to leadership).
    async fn level(&self) -> SupervisionLevel {
        self.0.level.into()
    }

    async fn status(&self) -> SupervisionStatus {
        self.0.status.into()
    }

    async fn department(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Department>> {
        department_link(ctx, self.0.department_id).await
    }

    /// The case it is about, as the reader may see it.
    async fn case(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Case>> {
        case_link(ctx, self.0.case_id).await
    }

    async fn opened_at(&self) -> DateTime<Utc> {
        self.0.opened_at
    }

    /// When it was raised to leadership (红牌).
    async fn raised_at(&self) -> Option<DateTime<Utc>> {
        self.0.raised_at
    }

    async fn assignee(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Staff>> {
        staff_link(ctx, self.0.assignee_id).await
    }

    async fn chases(&self) -> i32 {
        self.0.chases
    }

    /// When the department's answer is due (承办: working days on the centre's calendar).
    async fn reply_due_at(&self) -> Option<DateTime<Utc>> {
        self.0.reply_due_at
    }

    async fn answer(&self) -> Option<&str> {
        self.0.answer.as_deref()
    }

    async fn answered_at(&self) -> Option<DateTime<Utc>> {
        self.0.answered_at
    }

    async fn archived_at(&self) -> Option<DateTime<Utc>> {
        self.0.archived_at
    }
}

/// 发件箱 — a message queued for sending.
pub struct OutboxMessage(pub OutboxMessageView);

#[Object]
impl OutboxMessage {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// The stable Message-ID.
    async fn message_id(&self) -> &str {
        &self.0.message_id
    }

    async fn recipient(&self) -> &str {
        &self.0.recipient_email
    }

    async fn template(&self) -> &str {
        &self.0.template
    }

    async fn payload(&self) -> Json<serde_json::Value> {
        Json(self.0.payload.clone())
    }

    async fn status(&self) -> OutboxStatus {
        self.0.status.into()
    }

    async fn attempts(&self) -> i32 {
        self.0.attempts
    }

    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }

    async fn next_attempt_at(&self) -> DateTime<Utc> {
        self.0.next_attempt_at
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    async fn sent_at(&self) -> Option<DateTime<Utc>> {
        self.0.sent_at
    }
}
