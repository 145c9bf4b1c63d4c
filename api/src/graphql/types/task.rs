//! Tasks and opinions.

use super::{Case, Department, Staff, department_link, engine, staff_link};
use crate::graphql::enums::{OpinionKind, TaskStatus};
use crate::graphql::errors::Gql;
use crate::graphql::session::actor;
use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use lianban_engine::entity::{opinion, task};

/// 协办环节 — one department's part of a case.
pub struct Task(pub task::Model);

#[Object]
impl Task {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn status(&self) -> TaskStatus {
        self.0.status.into()
    }

    async fn case(&self, ctx: &Context<'_>) -> async_graphql::Result<Case> {
        let actor = actor(ctx).await?;
        Ok(Case(
            engine(ctx)?.case_view(actor, self.0.case_id).await.gql()?,
        ))
    }

    async fn department(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Department>> {
        department_link(ctx, self.0.department_id).await
    }

    async fn assignee(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Staff>> {
        staff_link(ctx, Some(self.0.assignee_id)).await
    }

    /// The absent A holder the assignee works this task for.
    async fn acting_for(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Staff>> {
        staff_link(ctx, self.0.acting_for_id).await
    }

    /// The department's review limit, in working days.
    async fn review_limit(&self) -> i32 {
        self.0.review_limit
    }

    async fn due_at(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<DateTime<Utc>>> {
        Ok(engine(ctx)?
            .clock_by_id(self.0.clock_id)
            .await
            .gql()?
            .map(|c| c.due_at))
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    async fn resolved_at(&self) -> Option<DateTime<Utc>> {
        self.0.resolved_at
    }

    /// The department's current opinion.
    async fn opinion(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Opinion>> {
        let Some(id) = self.0.opinion_id else {
            return Ok(None);
        };
        Ok(engine(ctx)?.opinion_by_id(id).await.gql()?.map(Opinion))
    }
}

/// 意见 — a department's opinion on its task.
pub struct Opinion(pub opinion::Model);

#[Object]
impl Opinion {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn kind(&self) -> OpinionKind {
        self.0.kind.into()
    }

    async fn conditions(&self) -> Vec<String> {
        serde_json::from_value(self.0.conditions.clone()).unwrap_or_default()
    }

    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }

    async fn legal_basis(&self) -> Option<&str> {
        self.0.legal_basis.as_deref()
    }

    async fn department(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Department>> {
        department_link(ctx, self.0.department_id).await
    }

    async fn author(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Staff>> {
        staff_link(ctx, Some(self.0.author_id)).await
    }

    async fn acting_for(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Staff>> {
        staff_link(ctx, self.0.acting_for_id).await
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    async fn task(&self, ctx: &Context<'_>) -> async_graphql::Result<Task> {
        let actor = actor(ctx).await?;
        Ok(Task(engine(ctx)?.task(actor, self.0.task_id).await.gql()?))
    }
}
