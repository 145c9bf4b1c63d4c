//! 受理 — accepting a case starts its clock and, in the same transaction, fans out one task per
//! reviewing department, each to its post's first available holder (SPEC §3, §6). A case
//! accepted more than five working days after receipt without a supplement notice counts as
//! accepted on the day it was received (行政许可法 §32).

use crate::absences::{away_at, chains};
use crate::cases::status::notice_context;
use crate::cases::{ensure_no_pending_report, lock_case, scope_of};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use crate::lifecycle::{self, Acceptance};
use crate::notices;
use crate::people;
use crate::policy::{self, Actor};
use lianban_entity::{
    LimitUnit, NoticeKind, TaskStatus, case, matter, matter_department, notice, staff, task,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

/// One department's share of the review, as the catalogue sets it.
struct Review {
    department_id: Uuid,
    post_id: Uuid,
    limit: i32,
}

/// The reviews acceptance creates for a case of this matter.
async fn reviews<C: ConnectionTrait>(
    txn: &C,
    matter: &matter::Model,
    acceptance: Acceptance,
) -> Result<Vec<Review>> {
    Ok(match acceptance {
        Acceptance::Immediate | Acceptance::ReportUp => Vec::new(),
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
            .all(txn)
            .await?
            .into_iter()
            .map(|md| Review {
                department_id: md.department_id,
                post_id: md.post_id,
                limit: md.review_limit,
            })
            .collect(),
    })
}

impl Engine {
    /// Accepts a `RECEIVED` case: starts its clock, creates its tasks and the acceptance notice.
    ///
    /// # Errors
    /// `NOT_FOUND`, `FORBIDDEN` (not the lead window), `INVALID_STATE` (not `RECEIVED`, a
    /// consultation, or a negative report pending).
    pub async fn accept_case(&self, actor: &Actor, case_id: Uuid) -> Result<case::Model> {
        let now = self.now();
        let calendar = self.sync_calendar().await?;
        let txn = self.begin_write().await?;
        let case = lock_case(&txn, case_id).await?;
        policy::require_lead_window(actor, &scope_of(&txn, &case).await?, "accept it")?;
        let acceptance = lifecycle::accept(case.kind, case.status)?;
        ensure_no_pending_report(&txn, case.id).await?;
        let matter = self.matter_of(&txn, &case).await?;

        // 行政许可法 §32: no supplement notice within five working days → accepted on receipt.
        let notified = notice::Entity::find()
            .filter(notice::Column::CaseId.eq(case.id))
            .filter(notice::Column::Kind.eq(NoticeKind::Supplement))
            .count(&txn)
            .await?
            > 0;
        let window_closes = calendar.add_working_days(case.received_at, 5)?;
        let deemed = !notified && now > window_closes;
        let start = if deemed { case.received_at } else { now };

        let reviews = reviews(&txn, &matter, acceptance).await?;
        let mut limits = vec![(matter.limit_unit, i64::from(matter.promised_limit))];
        limits.extend(
            reviews
                .iter()
                .map(|r| (LimitUnit::WorkingDays, i64::from(r.limit))),
        );
        let mut clocks = self
            .start_clocks(&txn, &calendar, start, &limits)
            .await?
            .into_iter();
        let case_clock = clocks
            .next()
            .ok_or_else(|| Error::Internal("no case clock".into()))?;

        let away = away_at(&txn, now).await?;
        let posts: Vec<Uuid> = reviews.iter().map(|r| r.post_id).collect();
        let chains = chains(&txn, &posts).await?;
        let mut log = vec![
            NewEvent::case(EventKind::CaseAccepted, case.id, Some(actor.staff_id))
                .before(json!({ "status": case.status }))
                .after(json!({
                    "status": acceptance.status(),
                    "acceptedAt": start,
                    "deemedAcceptedOnReceipt": deemed,
                    "dueAt": case_clock.due_at,
                    "limit": matter.promised_limit,
                    "unit": matter.limit_unit,
                })),
        ];
        let mut tasks = Vec::with_capacity(reviews.len());
        for (review, clock) in reviews.iter().zip(clocks) {
            let chain = chains
                .get(&review.post_id)
                .map(|(_, c)| c.clone())
                .ok_or_else(|| Error::Internal(format!("post {} missing", review.post_id)))?;
            let assignment = people::assign(chain[0], &chain, &away);
            if assignment.nobody_available {
                self.alert_unstaffed(&txn, review.department_id, now)
                    .await?;
            }
            let task_id = Uuid::now_v7();
            log.push(
                NewEvent::case(EventKind::TaskCreated, case.id, Some(actor.staff_id))
                    .task(task_id)
                    .after(json!({
                        "departmentId": review.department_id,
                        "assigneeId": assignment.assignee,
                        "actingForId": assignment.acting_for,
                        "dueAt": clock.due_at,
                        "limit": review.limit,
                    })),
            );
            tasks.push(task::ActiveModel {
                id: Set(task_id),
                case_id: Set(case.id),
                department_id: Set(review.department_id),
                post_id: Set(review.post_id),
                assignee_id: Set(assignment.assignee),
                acting_for_id: Set(assignment.acting_for),
                status: Set(TaskStatus::Open),
                clock_id: Set(clock.id),
                review_limit: Set(review.limit),
                opinion_id: Set(None),
                created_at: Set(now),
                resolved_at: Set(None),
            });
        }
        let assigned: Vec<(Uuid, Uuid)> = tasks
            .iter()
            .filter_map(|t| match (&t.id, &t.assignee_id) {
                (Set(id), Set(assignee)) => Some((*id, *assignee)),
                _ => None,
            })
            .collect();
        task::Entity::insert_many(tasks)
            .exec_without_returning(&txn)
            .await?;
        for (task_id, assignee) in assigned {
            self.tell_assignee(&txn, case.id, task_id, assignee, now)
                .await?;
        }

        let mut active = case.into_active_model();
        active.accepted_at = Set(Some(start));
        active.clock_id = Set(Some(case_clock.id));
        let case = active.update(&txn).await?;
        let case = self
            .set_status(&txn, case, acceptance.status(), now)
            .await?;

        let first_responder = staff::Entity::find_by_id(case.first_responder_id)
            .one(&txn)
            .await?
            .map(|s| s.display_name)
            .unwrap_or_default();
        let text = notices::acceptance(
            &notice_context(self, &case, &matter, now),
            &first_responder,
            case_clock.due_at,
            deemed.then_some(case.received_at),
        );
        let notice = self
            .issue_notice(&txn, &case, text, actor.staff_id, None, now)
            .await?;
        log.push(
            NewEvent::case(EventKind::NoticeIssued, case.id, Some(actor.staff_id))
                .after(json!({ "noticeId": notice.id, "kind": NoticeKind::Acceptance })),
        );
        events::record(&txn, now, log).await?;
        txn.commit().await?;
        Ok(case)
    }
}
