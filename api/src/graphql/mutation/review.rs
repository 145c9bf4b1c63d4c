//! The departments' side: opinions, transfers, absences.

use crate::graphql::enums::OpinionKind;
use crate::graphql::errors::Gql;
use crate::graphql::session::actor;
use crate::graphql::types::{Absence, Opinion, Task, engine, parse_id};
use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use lianban_engine::cases::{SubmitOpinion, TransferTask};
use lianban_engine::people::absences::RecordAbsence;
use lianban_rules::cases::OpinionDraft;

/// Review by the departments.
#[derive(Default)]
pub struct ReviewMutation;

/// A department's opinion on its task.
#[derive(InputObject)]
pub struct SubmitOpinionInput {
    task_id: ID,
    kind: OpinionKind,
    /// Required for APPROVE_WITH_CONDITIONS.
    #[graphql(default)]
    conditions: Vec<String>,
    /// Required for REJECT.
    reason: Option<String>,
    /// Required for REJECT.
    legal_basis: Option<String>,
    /// Required for NEEDS_SUPPLEMENT: what the applicant must supply.
    #[graphql(default)]
    missing_items: Vec<String>,
    idempotency_key: Option<String>,
}

/// 转办.
#[derive(InputObject)]
pub struct TransferTaskInput {
    task_id: ID,
    to_staff_id: ID,
    reason: String,
}

/// 离岗/请假.
#[derive(InputObject)]
pub struct RecordAbsenceInput {
    staff_id: ID,
    starts_at: DateTime<Utc>,
    /// Exclusive.
    ends_at: DateTime<Utc>,
    reason: String,
    idempotency_key: Option<String>,
}

#[Object]
impl ReviewMutation {
    /// A department's opinion on its task; the last one moves the case to AWAITING_DECISION.
    async fn submit_opinion(
        &self,
        ctx: &Context<'_>,
        input: SubmitOpinionInput,
    ) -> async_graphql::Result<Opinion> {
        let actor = actor(ctx).await?;
        let task_id = parse_id("taskId", &input.task_id)?;
        let opinion = engine(ctx)?
            .submit_opinion(
                actor,
                SubmitOpinion {
                    task_id,
                    draft: OpinionDraft {
                        kind: Some(input.kind.into()),
                        conditions: input.conditions,
                        reason: input.reason,
                        legal_basis: input.legal_basis,
                        missing_items: input.missing_items,
                    },
                    idempotency_key: input.idempotency_key,
                },
            )
            .await
            .gql()?;
        Ok(Opinion(opinion))
    }

    /// 转办 — moves a task to a colleague (across departments: centre admin only).
    async fn transfer_task(
        &self,
        ctx: &Context<'_>,
        input: TransferTaskInput,
    ) -> async_graphql::Result<Task> {
        let actor = actor(ctx).await?;
        let task = engine(ctx)?
            .transfer_task(
                actor,
                TransferTask {
                    task_id: parse_id("taskId", &input.task_id)?,
                    to_staff_id: parse_id("toStaffId", &input.to_staff_id)?,
                    reason: input.reason,
                },
            )
            .await
            .gql()?;
        Ok(Task::from(task))
    }

    /// 离岗 — records an absence; open tasks move to the post's first available holder while it
    /// lasts (at once when it has begun).
    async fn record_absence(
        &self,
        ctx: &Context<'_>,
        input: RecordAbsenceInput,
    ) -> async_graphql::Result<Absence> {
        let actor = actor(ctx).await?;
        let absence = engine(ctx)?
            .record_absence(
                actor,
                RecordAbsence {
                    staff_id: parse_id("staffId", &input.staff_id)?,
                    starts_at: input.starts_at,
                    ends_at: input.ends_at,
                    reason: input.reason,
                    idempotency_key: input.idempotency_key,
                },
            )
            .await
            .gql()?;
        Ok(Absence(absence))
    }
}
