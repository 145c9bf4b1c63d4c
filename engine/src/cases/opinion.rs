//! 意见 — a department's opinion resolves its task; the last one moves the case to
//! `AWAITING_DECISION`, exactly once however many arrive together.

use crate::cases::lock_case;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use crate::idempotency::{self, Claim};
use crate::lifecycle::{self, OpinionDraft};
use crate::policy::{self, Actor, TaskScope};
use lianban_entity::{CaseStatus, TaskStatus, case, opinion, task};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use serde_json::json;
use uuid::Uuid;

/// What a reviewer sends.
#[derive(Debug, Clone, Default)]
pub struct SubmitOpinion {
    /// The task.
    pub task_id: Uuid,
    /// The opinion.
    pub draft: OpinionDraft,
    /// Same key, same result.
    pub idempotency_key: Option<String>,
}

impl Engine {
    /// Records a department's opinion on its task and resolves the task; when it was the case's
    /// last open task, the case moves to `AWAITING_DECISION` in the same transaction.
    ///
    /// # Errors
    /// `INVALID_INPUT` for an incomplete opinion; `NOT_FOUND`; `FORBIDDEN` for another
    /// department's task or a colleague's; `INVALID_STATE` when the task is already resolved.
    pub async fn submit_opinion(
        &self,
        actor: &Actor,
        input: SubmitOpinion,
    ) -> Result<opinion::Model> {
        let valid = lifecycle::validate_opinion(&input.draft)?;
        let key = idempotency::check(input.idempotency_key.as_deref())?;
        let case_id = task::Entity::find_by_id(input.task_id)
            .one(self.db())
            .await?
            .ok_or_else(|| Error::not_found(format!("task {}", input.task_id)))?
            .case_id;
        let now = self.now();
        let opinion_id = Uuid::now_v7();

        let txn = self.begin_write().await?;
        let case = lock_case(&txn, case_id).await?;
        if let Claim::Replay(first) = idempotency::claim(
            &txn,
            actor.staff_id,
            key.as_deref(),
            "submitOpinion",
            opinion_id,
            now,
        )
        .await?
        {
            txn.rollback().await?;
            return opinion::Entity::find_by_id(first)
                .one(self.db())
                .await?
                .ok_or_else(|| Error::not_found(format!("opinion {first}")));
        }
        let task = task::Entity::find_by_id(input.task_id)
            .one(&txn)
            .await?
            .ok_or_else(|| Error::not_found(format!("task {}", input.task_id)))?;
        policy::require_task_worker(
            actor,
            TaskScope {
                department_id: task.department_id,
                assignee_id: task.assignee_id,
            },
        )?;
        if task.status != TaskStatus::Open {
            return Err(Error::InvalidState(format!(
                "this task is already {:?}; its opinion stands",
                task.status
            )));
        }
        if case.status != CaseStatus::InReview {
            return Err(Error::InvalidState(format!(
                "the case is {:?}; opinions are taken while it is IN_REVIEW",
                case.status
            )));
        }
        let acting_for = (actor.staff_id != task.assignee_id)
            .then_some(task.assignee_id)
            .or(task
                .acting_for_id
                .filter(|_| actor.staff_id == task.assignee_id));
        let opinion = opinion::ActiveModel {
            id: Set(opinion_id),
            task_id: Set(task.id),
            case_id: Set(case.id),
            department_id: Set(task.department_id),
            author_id: Set(actor.staff_id),
            acting_for_id: Set(acting_for),
            kind: Set(valid.kind),
            conditions: Set(json!(valid.conditions)),
            reason: Set(valid.reason.clone()),
            legal_basis: Set(valid.legal_basis.clone()),
            missing_items: Set(json!([])),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        task::Entity::update_many()
            .col_expr(task::Column::Status, Expr::value(TaskStatus::Resolved))
            .col_expr(task::Column::OpinionId, Expr::value(Some(opinion_id)))
            .col_expr(task::Column::ResolvedAt, Expr::value(Some(now)))
            .filter(task::Column::Id.eq(task.id))
            .exec(&txn)
            .await?;
        self.stop_clock(&txn, task.clock_id, now).await?;

        let mut log = vec![
            NewEvent::case(EventKind::OpinionSubmitted, case.id, Some(actor.staff_id))
                .task(task.id)
                .acting_for(acting_for)
                .after(json!({
                    "opinionId": opinion_id,
                    "kind": valid.kind,
                    "conditions": valid.conditions,
                    "reason": valid.reason,
                    "legalBasis": valid.legal_basis,
                })),
            NewEvent::case(EventKind::TaskResolved, case.id, Some(actor.staff_id))
                .task(task.id)
                .acting_for(acting_for)
                .before(json!({ "status": TaskStatus::Open }))
                .after(json!({ "status": TaskStatus::Resolved })),
        ];
        let still_open = task::Entity::find()
            .filter(task::Column::CaseId.eq(case.id))
            .filter(task::Column::Status.eq(TaskStatus::Open))
            .count(&txn)
            .await?;
        if still_open == 0 {
            let moved = case::Entity::update_many()
                .col_expr(
                    case::Column::Status,
                    Expr::value(CaseStatus::AwaitingDecision),
                )
                .col_expr(case::Column::UpdatedAt, Expr::value(now))
                .filter(case::Column::Id.eq(case.id))
                .filter(case::Column::Status.eq(CaseStatus::InReview))
                .exec(&txn)
                .await?;
            if moved.rows_affected == 1 {
                log.push(
                    NewEvent::case(EventKind::CaseAwaitingDecision, case.id, None)
                        .before(json!({ "status": CaseStatus::InReview }))
                        .after(json!({ "status": CaseStatus::AwaitingDecision })),
                );
            }
        }
        events::record(&txn, now, log).await?;
        txn.commit().await?;
        Ok(opinion)
    }
}
