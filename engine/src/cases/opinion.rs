//! 意见 — a department's opinion on its task. APPROVE / APPROVE_WITH_CONDITIONS / REJECT resolve
//! the task; NEEDS_SUPPLEMENT makes it wait for the applicant's material, its clock paused. When
//! no task is open any more, the case moves to `AWAITING_DECISION` — exactly once, however many
//! opinions arrive together, because every writer holds the case's row lock. A matter that
//! deems consent resolves a silent task at its deadline as `DEEMED_APPROVED`.

use crate::cases::lock_case;
use crate::cases::verb::{Making, Verb};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use crate::scoring::NewScore;
use chrono::{DateTime, Utc};
use lianban_entity::{
    CaseStatus, ClockState, OpinionKind, TaskStatus, case, clock, matter, opinion, staff, task,
};
use lianban_rules::cases::review;
use lianban_rules::cases::{self as lifecycle, Action, OpinionDraft, ValidOpinion};
use lianban_rules::policy::{self, Actor, TaskScope};
use lianban_rules::scoring::CASE_OVERDUE;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QuerySelect,
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
    /// Records a department's opinion on its task.
    ///
    /// # Errors
    /// `INVALID_INPUT` for an incomplete opinion; `NOT_FOUND`; `FORBIDDEN` for another
    /// department's task or a colleague's; `INVALID_STATE` when the task is not open or the case
    /// is not in review.
    pub async fn submit_opinion(
        &self,
        actor: &Actor,
        input: SubmitOpinion,
    ) -> Result<crate::views::OpinionView> {
        let valid = lifecycle::validate_opinion(&input.draft)?;
        let opinion_id = Uuid::now_v7();
        // Who may give it depends on the task, checked below once it is read under the lock.
        let opened = self
            .open_on_task(
                actor,
                input.task_id,
                "submitOpinion",
                input.idempotency_key.as_deref(),
                opinion_id,
            )
            .await?;
        let Verb {
            gate: _gate,
            txn,
            case,
            now,
        } = match opened {
            Making::Go(verb) => *verb,
            Making::Replay(first) => {
                let first = opinion::Entity::find_by_id(first)
                    .one(self.db())
                    .await?
                    .ok_or_else(|| Error::not_found(format!("opinion {first}")))?;
                if first.task_id != input.task_id {
                    return Err(crate::store::idempotency::reused_elsewhere(
                        input.idempotency_key.as_deref(),
                        "submitOpinion",
                        "task",
                    ));
                }
                return Ok(first.into());
            }
        };
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
        review::may_give_opinion(task.status.into(), case.status.into())?;
        let acting_for = review::acting_for(actor.staff_id, task.assignee_id, task.acting_for_id);
        let opinion = self
            .answer_task(
                &txn,
                case,
                &task,
                Answer {
                    valid: &valid,
                    author: Some(actor.staff_id),
                    acting_for,
                    opinion_id,
                },
                now,
            )
            .await?;
        txn.commit().await?;
        Ok(crate::views::OpinionView::from(opinion))
    }

    /// Writes an opinion on an open task of a locked case, moves the task, and moves the case
    /// to `AWAITING_DECISION` when no task is open any more.
    async fn answer_task(
        &self,
        txn: &DatabaseTransaction,
        case: case::Model,
        task: &task::Model,
        answer: Answer<'_>,
        now: DateTime<Utc>,
    ) -> Result<opinion::Model> {
        let Answer {
            valid,
            author,
            acting_for,
            opinion_id,
        } = answer;
        let opinion = opinion::ActiveModel {
            id: Set(opinion_id),
            task_id: Set(task.id),
            case_id: Set(case.id),
            department_id: Set(task.department_id),
            author_id: Set(author),
            acting_for_id: Set(acting_for),
            kind: Set(valid.kind.into()),
            conditions: Set(json!(valid.conditions)),
            reason: Set(valid.reason.clone()),
            legal_basis: Set(valid.legal_basis.clone()),
            missing_items: Set(json!(valid.missing_items)),
            created_at: Set(now),
        }
        .insert(txn)
        .await?;
        let waits = valid.kind == OpinionKind::NeedsSupplement;
        let next = if waits {
            TaskStatus::AwaitingSupplement
        } else {
            TaskStatus::Resolved
        };
        task::Entity::update_many()
            .col_expr(task::Column::Status, Expr::value(next))
            .col_expr(task::Column::OpinionId, Expr::value(Some(opinion_id)))
            .col_expr(
                task::Column::ResolvedAt,
                Expr::value((!waits).then_some(now)),
            )
            .filter(task::Column::Id.eq(task.id))
            .exec(txn)
            .await?;
        if waits {
            self.pause_clock(txn, task.clock_id, now, "等待申请人补正材料")
                .await?;
        } else {
            self.stop_clock(txn, task.clock_id, now).await?;
        }
        let kind = if valid.kind == OpinionKind::DeemedApproved {
            EventKind::TaskDeemedApproved
        } else {
            EventKind::OpinionSubmitted
        };
        let mut log = vec![
            NewEvent::case(kind, case.id, author)
                .task(task.id)
                .acting_for(acting_for)
                .after(json!({
                    "opinionId": opinion_id,
                    "departmentId": task.department_id,
                    "kind": valid.kind,
                    "conditions": valid.conditions,
                    "reason": valid.reason,
                    "legalBasis": valid.legal_basis,
                    "missingItems": valid.missing_items,
                })),
            NewEvent::case(
                if waits {
                    EventKind::TaskAwaitingSupplement
                } else {
                    EventKind::TaskResolved
                },
                case.id,
                author,
            )
            .task(task.id)
            .acting_for(acting_for)
            .before(json!({ "status": TaskStatus::Open }))
            .after(json!({ "status": next })),
        ];
        let still_open = task::Entity::find()
            .filter(task::Column::CaseId.eq(case.id))
            .filter(task::Column::Status.eq(TaskStatus::Open))
            .count(txn)
            .await?;
        if still_open == 0 {
            let to =
                lifecycle::transition(case.kind.into(), case.status.into(), Action::TasksResolved)?;
            let case_id = case.id;
            self.set_status(txn, case, to, now).await?;
            log.push(
                NewEvent::case(EventKind::CaseAwaitingDecision, case_id, None)
                    .before(json!({ "status": CaseStatus::InReview }))
                    .after(json!({ "status": to })),
            );
        }
        events::record(txn, now, log).await?;
        Ok(opinion)
    }

    /// 默认同意 — resolves, as `DEEMED_APPROVED`, every open task past its deadline whose matter
    /// deems consent (off by default); returns how many. Idempotent. (The deadline sweep does
    /// the same for the clocks it reaches; this looks at every overdue task of such matters.)
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn apply_deemed_consent(&self, now: DateTime<Utc>) -> Result<u64> {
        let matters: Vec<Uuid> = matter::Entity::find()
            .select_only()
            .column(matter::Column::Id)
            .filter(matter::Column::DeemedConsent.eq(true))
            .into_tuple()
            .all(self.db())
            .await?;
        if matters.is_empty() {
            return Ok(0);
        }
        let candidates: Vec<Option<Uuid>> = clock::Entity::find()
            .select_only()
            .column(clock::Column::TaskId)
            .filter(clock::Column::State.eq(ClockState::Running))
            .filter(clock::Column::DueAt.lt(now))
            .filter(clock::Column::TaskId.is_not_null())
            .filter(
                clock::Column::CaseId.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(case::Column::Id)
                        .from(case::Entity)
                        .and_where(case::Column::MatterId.is_in(matters.iter().copied()))
                        .to_owned(),
                ),
            )
            .into_tuple()
            .all(self.db())
            .await?;
        let mut deemed = 0;
        for task_id in candidates.into_iter().flatten() {
            if self.deem_at_deadline(task_id, now).await? {
                deemed += 1;
            }
        }
        Ok(deemed)
    }

    /// Resolves one open task past its deadline as `DEEMED_APPROVED`, locking its case first
    /// (the order every writer of a case keeps); the department head is told. Returns whether
    /// it did (the task may have been answered meanwhile).
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub(crate) async fn deem_at_deadline(&self, task_id: Uuid, now: DateTime<Utc>) -> Result<bool> {
        let Some(t) = task::Entity::find_by_id(task_id).one(self.db()).await? else {
            return Ok(false);
        };
        let (_gate, txn) = self.begin_write().await?;
        let case = lock_case(&txn, t.case_id).await?;
        let fresh = task::Entity::find_by_id(t.id).one(&txn).await?;
        let running = clock::Entity::find_by_id(t.clock_id)
            .one(&txn)
            .await?
            .is_some_and(|c| c.state == ClockState::Running && c.due_at < now);
        if case.status != CaseStatus::InReview
            || fresh.map(|f| f.status) != Some(TaskStatus::Open)
            || !running
        {
            txn.rollback().await?;
            return Ok(false);
        }
        let valid = ValidOpinion {
            kind: lianban_rules::OpinionKind::DeemedApproved,
            conditions: Vec::new(),
            reason: Some("逾期未回复，按默认同意处理".to_owned()),
            legal_basis: None,
            missing_items: Vec::new(),
        };
        let heads: Vec<staff::Model> = staff::Entity::find()
            .filter(staff::Column::DepartmentId.eq(t.department_id))
            .filter(staff::Column::Active.eq(true))
            .all(&txn)
            .await?
            .into_iter()
            .filter(|s| crate::people::holds(s, lianban_rules::roles::Role::DeptHead))
            .collect();
        let messages = heads
            .iter()
            .map(|head| crate::mail::outbox::NewMessage {
                message_id: format!("deemed-{}-{}", t.id, head.id),
                recipient_id: Some(head.id),
                recipient_email: head.email.clone(),
                mail: lianban_rules::mail::Mail::TaskDeemedApproved(
                    lianban_rules::mail::TaskDeemedApproved {
                        case_id: case.id,
                        number: case.number.clone(),
                        task_id: t.id,
                    },
                ),
            })
            .collect();
        crate::mail::outbox::enqueue_many(&txn, now, messages).await?;
        // 考核: a review left to lapse into deemed consent is the department's overdue case.
        let mut score = NewScore::new(
            CASE_OVERDUE,
            t.clock_id,
            crate::events::EventKind::TaskDeemedApproved.as_str(),
            t.department_id,
            now,
            format!(
                "办件{}的部门审查环节逾期未回复，按默认同意处理",
                case.number
            ),
        );
        score.staff_id = Some(t.assignee_id);
        score.case_id = Some(case.id);
        score.task_id = Some(t.id);
        crate::scoring::write(&txn, None, vec![score]).await?;
        let answer = Answer {
            valid: &valid,
            author: None,
            acting_for: None,
            opinion_id: Uuid::now_v7(),
        };
        self.answer_task(&txn, case, &t, answer, now).await?;
        txn.commit().await?;
        Ok(true)
    }
}

/// Who answers a task, and with what: the author is `None` when the engine answers for a silent
/// department (deemed consent).
struct Answer<'a> {
    valid: &'a ValidOpinion,
    author: Option<Uuid>,
    acting_for: Option<Uuid>,
    opinion_id: Uuid,
}
