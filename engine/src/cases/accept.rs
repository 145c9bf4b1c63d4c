//! 受理 — accepting a case starts its clock and, in the same transaction, fans out one task per
//! reviewing department (SPEC §3).

use crate::cases::{lock_case, scope_of};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use crate::lifecycle::{self, Acceptance};
use crate::policy::{self, Actor};
use lianban_entity::{LimitUnit, TaskStatus, case, matter, matter_department, post};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

/// One department's share of the review, as the catalogue sets it.
struct Review {
    department_id: Uuid,
    post_id: Uuid,
    limit: i32,
}

impl Engine {
    /// Accepts a `RECEIVED` case: starts its clock and creates its tasks.
    ///
    /// # Errors
    /// `NOT_FOUND`, `FORBIDDEN` (not the lead window), `INVALID_STATE` (not `RECEIVED`, or a kind
    /// that is not accepted for review).
    pub async fn accept_case(&self, actor: &Actor, case_id: Uuid) -> Result<case::Model> {
        let now = self.now();
        let calendar = self.sync_calendar().await?;
        let txn = self.begin_write().await?;
        let case = lock_case(&txn, case_id).await?;
        policy::require_lead_window(actor, &scope_of(&txn, &case).await?, "accept it")?;
        let acceptance = lifecycle::accept(case.kind, case.status)?;
        let matter = matter::Entity::find_by_id(case.matter_id)
            .one(&txn)
            .await?
            .ok_or_else(|| Error::Internal(format!("case {case_id} has no matter")))?;

        let case_clock = self
            .start_clock(
                &txn,
                &calendar,
                now,
                matter.limit_unit,
                i64::from(matter.promised_limit),
            )
            .await?;
        let reviews = match acceptance {
            Acceptance::Immediate => Vec::new(),
            Acceptance::LeadReview => {
                let post_id = matter.lead_post_id.ok_or_else(|| {
                    Error::InvalidState(format!("matter {} names no reviewing post", matter.code))
                })?;
                vec![Review {
                    department_id: matter.lead_department_id,
                    post_id,
                    limit: matter.promised_limit,
                }]
            }
            Acceptance::FanOut => matter_department::Entity::find()
                .filter(matter_department::Column::MatterId.eq(matter.id))
                .order_by_asc(matter_department::Column::Position)
                .all(&txn)
                .await?
                .into_iter()
                .map(|md| Review {
                    department_id: md.department_id,
                    post_id: md.post_id,
                    limit: md.review_limit,
                })
                .collect(),
        };
        let mut log = vec![
            NewEvent::case(EventKind::CaseAccepted, case.id, Some(actor.staff_id))
                .before(json!({ "status": case.status }))
                .after(json!({
                    "status": acceptance.status(),
                    "acceptedAt": now,
                    "dueAt": case_clock.due_at,
                    "limit": matter.promised_limit,
                    "unit": matter.limit_unit,
                })),
        ];
        let mut tasks = Vec::with_capacity(reviews.len());
        for review in reviews {
            let post = post::Entity::find_by_id(review.post_id)
                .one(&txn)
                .await?
                .ok_or_else(|| Error::Internal(format!("post {} missing", review.post_id)))?;
            let task_clock = self
                .start_clock(
                    &txn,
                    &calendar,
                    now,
                    LimitUnit::WorkingDays,
                    i64::from(review.limit),
                )
                .await?;
            let task_id = Uuid::now_v7();
            log.push(
                NewEvent::case(EventKind::TaskCreated, case.id, Some(actor.staff_id))
                    .task(task_id)
                    .after(json!({
                        "departmentId": review.department_id,
                        "assigneeId": post.a_holder_id,
                        "dueAt": task_clock.due_at,
                        "limit": review.limit,
                    })),
            );
            tasks.push(lianban_entity::task::ActiveModel {
                id: Set(task_id),
                case_id: Set(case.id),
                department_id: Set(review.department_id),
                post_id: Set(review.post_id),
                assignee_id: Set(post.a_holder_id),
                acting_for_id: Set(None),
                status: Set(TaskStatus::Open),
                clock_id: Set(task_clock.id),
                review_limit: Set(review.limit),
                opinion_id: Set(None),
                created_at: Set(now),
                resolved_at: Set(None),
            });
        }
        lianban_entity::task::Entity::insert_many(tasks)
            .exec_without_returning(&txn)
            .await?;

        let mut active = case.into_active_model();
        active.status = Set(acceptance.status());
        active.accepted_at = Set(Some(now));
        active.clock_id = Set(Some(case_clock.id));
        active.updated_at = Set(now);
        let case = active.update(&txn).await?;
        events::record(&txn, now, log).await?;
        txn.commit().await?;
        Ok(case)
    }
}
