//! Tasks and opinions.

use super::clock::{self, Clock, Pause, Remaining};
use super::{Case, Department, Staff, department_link, engine, staff_link};
use crate::graphql::enums::{Light, OpinionKind, TaskStatus};
use crate::graphql::errors::Gql;
use crate::graphql::session::actor;
use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use lianban_engine::views::{OpinionView, TaskView};
use tokio::sync::OnceCell;

/// 协办环节 — one department's part of a case.
pub struct Task {
    row: TaskView,
    clock: OnceCell<Option<Clock>>,
}

impl From<TaskView> for Task {
    fn from(row: TaskView) -> Self {
        Task {
            row,
            clock: OnceCell::new(),
        }
    }
}

impl Task {
    async fn clock_ref(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<&Clock>> {
        clock::cached(ctx, &self.clock, Some(self.row.clock_id)).await
    }
}

#[Object]
impl Task {
    async fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }

    async fn status(&self) -> TaskStatus {
        self.row.status.into()
    }

    async fn case(&self, ctx: &Context<'_>) -> async_graphql::Result<Case> {
        super::linked_case(ctx, self.row.case_id).await
    }

    async fn department(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Department>> {
        department_link(ctx, self.row.department_id).await
    }

    async fn assignee(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Staff>> {
        staff_link(ctx, Some(self.row.assignee_id)).await
    }

    /// The absent A holder the assignee works this task for.
    async fn acting_for(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Staff>> {
        staff_link(ctx, self.row.acting_for_id).await
    }

    /// The department's review limit, in working days.
    /// 急事急办 — a task of an urgent case (first in every queue).
    async fn urgent(&self) -> bool {
        self.row.urgent
    }

    async fn review_limit(&self) -> i32 {
        self.row.review_limit
    }

    /// The task's own clock (the department's review limit).
    async fn clock(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<&Clock>> {
        self.clock_ref(ctx).await
    }

    async fn due_at(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<DateTime<Utc>>> {
        Ok(self.clock_ref(ctx).await?.map(Clock::due_at))
    }

    async fn remaining(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Remaining>> {
        Ok(self.clock_ref(ctx).await?.map(Clock::remaining))
    }

    /// 红黄绿灯 of the task: RED when it overran its own limit, even if the case is in time.
    async fn light(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Light>> {
        Ok(self.clock_ref(ctx).await?.map(Clock::light))
    }

    /// True when the task's deadline assumes Monday–Friday for a year without a schedule.
    async fn provisional(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(self.clock_ref(ctx).await?.is_some_and(Clock::provisional))
    }

    /// Every pause of the task's clock.
    async fn pauses(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Pause>> {
        Ok(self
            .clock_ref(ctx)
            .await?
            .map(Clock::pauses)
            .unwrap_or_default())
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }

    async fn resolved_at(&self) -> Option<DateTime<Utc>> {
        self.row.resolved_at
    }

    /// The department's current opinion.
    async fn opinion(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Opinion>> {
        let Some(id) = self.row.opinion_id else {
            return Ok(None);
        };
        Ok(engine(ctx)?.opinion_by_id(id).await.gql()?.map(Opinion))
    }
}

/// 意见 — a department's opinion on its task.
pub struct Opinion(pub OpinionView);

#[Object]
impl Opinion {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn kind(&self) -> OpinionKind {
        self.0.kind.into()
    }

    async fn conditions(&self) -> &[String] {
        &self.0.conditions
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

    /// Who wrote it; empty for a deemed approval (默认同意).
    async fn author(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Staff>> {
        staff_link(ctx, self.0.author_id).await
    }

    async fn acting_for(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Staff>> {
        staff_link(ctx, self.0.acting_for_id).await
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    async fn task(&self, ctx: &Context<'_>) -> async_graphql::Result<Task> {
        let actor = actor(ctx).await?;
        Ok(Task::from(
            engine(ctx)?.task(actor, self.0.task_id).await.gql()?,
        ))
    }
}
