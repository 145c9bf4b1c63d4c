//! 受理 — accepting a case starts its clock and, in the same transaction, fans out one task per
//! reviewing department, each to its post's first available holder (SPEC §3, §6). A case
//! accepted more than five working days after receipt without a supplement notice counts as
//! accepted on the day it was received (行政许可法 §32).

use crate::absences::{away_at, chains};
use crate::calendar::WorkingCalendar;
use crate::cases::status::{notice_context, status_message, task_message};
use crate::cases::{ensure_no_pending_report, lock_case, scope_of};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use crate::lifecycle::{self, Acceptance};
use crate::notices;
use crate::outbox;
use crate::people;
use crate::policy::{self, Actor};
use chrono::{DateTime, Utc};
use lianban_entity::{
    LimitUnit, NoticeKind, TaskStatus, case, matter, matter_department, notice, staff, task,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder,
};
use serde_json::json;
use std::collections::HashMap;
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
        let deemed = !notified && now > calendar.add_working_days(case.received_at, 5)?;
        let case = self
            .accept_in(
                &txn, &calendar, actor, case, &matter, acceptance, deemed, now,
            )
            .await?;
        txn.commit().await?;
        Ok(case)
    }

    /// Accepts a locked case inside the caller's transaction, in as few statements as the work
    /// allows (this is the hot path of W1): clocks, tasks, messages and events are each one
    /// multi-row insert.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn accept_in(
        &self,
        txn: &DatabaseTransaction,
        calendar: &WorkingCalendar,
        actor: &Actor,
        case: case::Model,
        matter: &matter::Model,
        acceptance: Acceptance,
        deemed: bool,
        now: DateTime<Utc>,
    ) -> Result<case::Model> {
        let start = if deemed { case.received_at } else { now };
        let reviews = reviews(txn, matter, acceptance).await?;
        let mut limits = vec![(matter.limit_unit, i64::from(matter.promised_limit))];
        limits.extend(
            reviews
                .iter()
                .map(|r| (LimitUnit::WorkingDays, i64::from(r.limit))),
        );
        let mut clocks = self
            .start_clocks(txn, calendar, start, &limits)
            .await?
            .into_iter();
        let case_clock = clocks
            .next()
            .ok_or_else(|| Error::Internal("no case clock".into()))?;

        let (away, chains) = if reviews.is_empty() {
            Default::default()
        } else {
            let posts: Vec<Uuid> = reviews.iter().map(|r| r.post_id).collect();
            (away_at(txn, now).await?, chains(txn, &posts).await?)
        };
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
                self.alert_unstaffed(txn, review.department_id, now).await?;
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
            tasks.push(task::Model {
                id: task_id,
                case_id: case.id,
                department_id: review.department_id,
                post_id: review.post_id,
                assignee_id: assignment.assignee,
                acting_for_id: assignment.acting_for,
                status: TaskStatus::Open,
                clock_id: clock.id,
                review_limit: review.limit,
                opinion_id: None,
                created_at: now,
                resolved_at: None,
            });
        }
        task::Entity::insert_many(tasks.iter().cloned().map(task::ActiveModel::from))
            .exec_without_returning(txn)
            .await?;

        let from = case.status;
        let mut active = case.into_active_model();
        active.status = Set(acceptance.status());
        active.accepted_at = Set(Some(start));
        active.clock_id = Set(Some(case_clock.id));
        active.updated_at = Set(now);
        let case = active.update(txn).await?;

        // Who hears of it: each assignee, and the first responder of the status change.
        let mut ids: Vec<Uuid> = tasks.iter().map(|t| t.assignee_id).collect();
        ids.push(case.first_responder_id);
        let people: HashMap<Uuid, staff::Model> = staff::Entity::find()
            .filter(staff::Column::Id.is_in(ids))
            .all(txn)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
        let mut messages: Vec<_> = tasks
            .iter()
            .filter_map(|t| {
                people
                    .get(&t.assignee_id)
                    .map(|s| task_message(&case, t.id, s, now))
            })
            .collect();
        let responder = people.get(&case.first_responder_id);
        messages.extend(responder.map(|r| status_message(&case, from, r)));
        outbox::enqueue_many(txn, now, messages).await?;

        let text = notices::acceptance(
            &notice_context(self, &case, matter, now),
            responder.map_or("", |r| r.display_name.as_str()),
            case_clock.due_at,
            deemed.then_some(case.received_at),
        );
        let notice = self
            .issue_notice(txn, &case, text, actor.staff_id, None, now)
            .await?;
        log.push(
            NewEvent::case(EventKind::NoticeIssued, case.id, Some(actor.staff_id))
                .after(json!({ "noticeId": notice.id, "kind": NoticeKind::Acceptance })),
        );
        events::record(txn, now, log).await?;
        Ok(case)
    }
}
