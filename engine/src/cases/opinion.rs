//! 意见 — a department's opinion on its task. APPROVE / APPROVE_WITH_CONDITIONS / REJECT resolve
//! the task; NEEDS_SUPPLEMENT makes it wait for the applicant's material, its clock paused. When
//! no task is open any more, the case moves to `AWAITING_DECISION` — exactly once, however many
//! opinions arrive together, because every writer holds the case's row lock. A matter that
//! deems consent resolves a silent task at its deadline as `DEEMED_APPROVED`.

use crate::cases::lock_case;
use crate::cases::status::status_message;
use crate::cases::under_lock::{UnderLock, task_under_lock};
use crate::cases::verb::{Making, Verb};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use crate::mail::outbox;
use crate::scoring::NewScore;
use crate::store::batch::Batch;
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
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect,
    QueryTrait,
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
        let under_lock = task_under_lock(&txn, input.task_id, case.first_responder_id).await?;
        let task = &under_lock.task;
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
                &under_lock,
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
    /// to `AWAITING_DECISION` when no task is open any more — the writes in one batch (one
    /// statement on PostgreSQL, after the pause's own statements when the task waits).
    async fn answer_task(
        &self,
        txn: &DatabaseTransaction,
        case: case::Model,
        under_lock: &UnderLock,
        answer: Answer<'_>,
        now: DateTime<Utc>,
    ) -> Result<opinion::Model> {
        let Answer {
            valid,
            author,
            acting_for,
            opinion_id,
        } = answer;
        let task = &under_lock.task;
        let mut batch = Batch::new(txn.get_database_backend());
        let opinion = opinion::Model {
            id: opinion_id,
            task_id: task.id,
            case_id: case.id,
            department_id: task.department_id,
            author_id: author,
            acting_for_id: acting_for,
            kind: valid.kind.into(),
            conditions: json!(valid.conditions),
            reason: valid.reason.clone(),
            legal_basis: valid.legal_basis.clone(),
            missing_items: json!(valid.missing_items),
            created_at: now,
        };
        batch.push(
            &opinion::Entity::insert(opinion::ActiveModel::from(opinion.clone())).into_query(),
        );
        let waits = valid.kind == OpinionKind::NeedsSupplement;
        let next = if waits {
            TaskStatus::AwaitingSupplement
        } else {
            TaskStatus::Resolved
        };
        batch.push(
            task::Entity::update_many()
                .col_expr(task::Column::Status, Expr::value(next))
                .col_expr(task::Column::OpinionId, Expr::value(Some(opinion_id)))
                .col_expr(
                    task::Column::ResolvedAt,
                    Expr::value((!waits).then_some(now)),
                )
                .filter(task::Column::Id.eq(task.id))
                .as_query(),
        );
        if waits {
            self.pause_clock(txn, task.clock_id, now, "等待申请人补正材料")
                .await?;
        } else {
            for write in crate::clocks::stop_writes(task.clock_id, now) {
                batch.push(&write);
            }
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
        // The other tasks were counted under the case's lock, so exactly one opinion finds
        // none open.
        if under_lock.others_open == 0 {
            let to =
                lifecycle::transition(case.kind.into(), case.status.into(), Action::TasksResolved)?;
            let to = CaseStatus::from(to);
            let from = case.status;
            batch.push(
                case::Entity::update_many()
                    .col_expr(case::Column::Status, Expr::value(to))
                    .col_expr(case::Column::UpdatedAt, Expr::value(now))
                    .filter(case::Column::Id.eq(case.id))
                    .as_query(),
            );
            let moved = case::Model {
                status: to,
                updated_at: now,
                ..case
            };
            if let Some(responder) = &under_lock.responder
                && from != to
            {
                let message = status_message(&moved, from, responder);
                for write in outbox::enqueue_statements(batch.backend(), now, vec![message])? {
                    batch.push_statement(write);
                }
            }
            log.push(
                NewEvent::case(EventKind::CaseAwaitingDecision, moved.id, None)
                    .before(json!({ "status": CaseStatus::InReview }))
                    .after(json!({ "status": to })),
            );
        }
        if let Some(insert) = events::insert(now, log) {
            batch.push(&insert);
        }
        batch.run(txn).await?;
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
        let under_lock = task_under_lock(&txn, t.id, case.first_responder_id).await?;
        let fresh = Some(&under_lock.task);
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
        self.answer_task(&txn, case, &under_lock, answer, now)
            .await?;
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
