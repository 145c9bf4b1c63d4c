//! 受理 — accepting a case starts its clock and, in the same transaction, fans out one task per
//! reviewing department, each to its post's first available holder (SPEC §3, §6). A case
//! accepted more than five working days after receipt without a supplement notice counts as
//! accepted on the day it was received (行政许可法 §32).

use crate::cases::status::{notice_context, status_message, task_message};
use crate::cases::verb::{self, Verb, open_verb};
use crate::cases::{Written, ensure_no_pending_report};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use crate::mail::outbox;
use chrono::{DateTime, Utc};
use lianban_entity::{LimitUnit, NoticeKind, TaskStatus, case, matter, notice, staff, task};
use lianban_rules::calendar::WorkingCalendar;
use lianban_rules::cases::notices;
use lianban_rules::cases::{self as lifecycle, Acceptance};
use lianban_rules::people;
use lianban_rules::policy::{self, Actor};
use sea_orm::sea_query::{Expr, ExprTrait, JoinType, Order, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
};
use serde_json::json;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// One department's share of the review, as the catalogue sets it.
struct Review {
    department_id: Uuid,
    post_id: Uuid,
    limit: i32,
}

/// Whether the staff member in `column` is away at `at` (an absence covers it).
fn away(column: (&'static str, &'static str), at: DateTime<Utc>) -> Expr {
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from("absences")
            .and_where(Expr::col(("absences", "staff_id")).equals(column))
            .and_where(Expr::col(("absences", "starts_at")).lte(at))
            .and_where(Expr::col(("absences", "ends_at")).gt(at))
            .to_owned(),
    )
}

/// The reviews acceptance creates for a case of this matter, each with its post's holders (A
/// first, then the B holders in order), and which of those holders are away at `at` — one
/// query.
async fn reviews<C: ConnectionTrait>(
    txn: &C,
    matter: &matter::Model,
    acceptance: Acceptance,
    at: DateTime<Utc>,
) -> Result<(Vec<(Review, Vec<Uuid>)>, HashSet<Uuid>)> {
    let query = match acceptance {
        Acceptance::Immediate | Acceptance::ReportUp => return Ok((Vec::new(), HashSet::new())),
        Acceptance::LeadReview => {
            let post_id = matter.lead_post_id.ok_or_else(|| {
                Error::InvalidState(format!("matter {} names no reviewing post", matter.code))
            })?;
            Query::select()
                .expr_as(Expr::col(("p", "department_id")), "department_id")
                .expr_as(Expr::col(("p", "id")), "post_id")
                .expr_as(Expr::val(matter.promised_limit), "review_limit")
                .expr_as(Expr::col(("p", "a_holder_id")), "a_holder_id")
                .expr_as(Expr::col(("b", "staff_id")), "b_holder_id")
                .expr_as(away(("p", "a_holder_id"), at), "a_away")
                .expr_as(away(("b", "staff_id"), at), "b_away")
                .from_as("posts", "p")
                .join_as(
                    JoinType::LeftJoin,
                    "post_b_holders",
                    "b",
                    Expr::col(("b", "post_id")).equals(("p", "id")),
                )
                .and_where(Expr::col(("p", "id")).eq(post_id))
                .order_by(("b", "position"), Order::Asc)
                .to_owned()
        }
        Acceptance::FanOut => Query::select()
            .expr_as(Expr::col(("md", "department_id")), "department_id")
            .expr_as(Expr::col(("md", "post_id")), "post_id")
            .expr_as(Expr::col(("md", "review_limit")), "review_limit")
            .expr_as(Expr::col(("p", "a_holder_id")), "a_holder_id")
            .expr_as(Expr::col(("b", "staff_id")), "b_holder_id")
            .expr_as(away(("p", "a_holder_id"), at), "a_away")
            .expr_as(away(("b", "staff_id"), at), "b_away")
            .from_as("matter_departments", "md")
            .join_as(
                JoinType::InnerJoin,
                "posts",
                "p",
                Expr::col(("p", "id")).equals(("md", "post_id")),
            )
            .join_as(
                JoinType::LeftJoin,
                "post_b_holders",
                "b",
                Expr::col(("b", "post_id")).equals(("md", "post_id")),
            )
            .and_where(Expr::col(("md", "matter_id")).eq(matter.id))
            .order_by(("md", "position"), Order::Asc)
            .order_by(("b", "position"), Order::Asc)
            .to_owned(),
    };
    let mut out: Vec<(Review, Vec<Uuid>)> = Vec::new();
    let mut away_now = HashSet::new();
    for row in txn.query_all(&query).await? {
        let post_id: Uuid = row.try_get("", "post_id")?;
        let b: Option<Uuid> = row.try_get("", "b_holder_id")?;
        if row.try_get::<bool>("", "a_away")? {
            away_now.insert(row.try_get::<Uuid>("", "a_holder_id")?);
        }
        if let Some(b) = b
            && row.try_get::<bool>("", "b_away")?
        {
            away_now.insert(b);
        }
        match out.last_mut() {
            Some((review, chain)) if review.post_id == post_id => chain.extend(b),
            _ => {
                let mut chain = vec![row.try_get("", "a_holder_id")?];
                chain.extend(b);
                let review = Review {
                    department_id: row.try_get("", "department_id")?,
                    post_id,
                    limit: row.try_get("", "review_limit")?,
                };
                out.push((review, chain));
            }
        }
    }
    Ok((out, away_now))
}

impl Engine {
    /// Accepts a `RECEIVED` case: starts its clock, creates its tasks and the acceptance notice.
    ///
    /// # Errors
    /// `NOT_FOUND`, `FORBIDDEN` (not the lead window), `INVALID_STATE` (not `RECEIVED`, a
    /// consultation, or a negative report pending).
    pub async fn accept_case(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<crate::cases::CaseView> {
        let calendar = self.sync_calendar().await?;
        let Verb {
            gate,
            txn,
            case,
            now,
        } = open_verb!(self.open_verb(actor, case_id, "", None, |_, scope| {
            policy::require_lead_window(actor, scope, "accept it")
        }));
        let acceptance = lifecycle::accept(case.kind.into(), case.status.into())?;
        ensure_no_pending_report(&txn, case.id).await?;
        let matter = self.matter_of(&txn, &case).await?;
        let notified = notice::Entity::find()
            .filter(notice::Column::CaseId.eq(case.id))
            .filter(notice::Column::Kind.eq(NoticeKind::Supplement))
            .count(&txn)
            .await?
            > 0;
        let deemed =
            lifecycle::review::accepted_on_receipt(&calendar, case.received_at, notified, now)?;
        let case = self
            .accept_in(
                &txn,
                &calendar,
                actor,
                case,
                Accepting {
                    matter: &matter,
                    acceptance,
                    deemed,
                    log: Vec::new(),
                },
                now,
            )
            .await?;
        let (case, written) = case;
        Ok(verb::close(actor, gate, txn, case)
            .await?
            .with_written(Some(written)))
    }

    /// Accepts a locked case inside the caller's transaction, in as few statements as the work
    /// allows (this is the hot path of W1): clocks, tasks, messages and events are each one
    /// multi-row insert. Returns the case and what was written on it (its tasks, clocks and
    /// their people), which the answer is given from.
    pub(crate) async fn accept_in(
        &self,
        txn: &DatabaseTransaction,
        calendar: &WorkingCalendar,
        actor: &Actor,
        case: case::Model,
        accepting: Accepting<'_>,
        now: DateTime<Utc>,
    ) -> Result<(case::Model, Written)> {
        let Accepting {
            matter,
            acceptance,
            deemed,
            mut log,
        } = accepting;
        let start = if deemed { case.received_at } else { now };
        // 办事指南: accepted under the version it was received under.
        let as_received;
        let matter = match case.guide_version {
            Some(v) if matter.guide_version != Some(v) => {
                as_received = crate::guides::matter_as_of(txn, matter, v).await?;
                &as_received
            }
            _ => matter,
        };
        let (mut reviews, away) = reviews(txn, matter, acceptance, now).await?;
        // 急事急办: an urgent case's tasks get the matter's shorter review limit.
        if case.urgent {
            for (review, _) in &mut reviews {
                review.limit = lianban_rules::cases::urgent::review_limit(
                    review.limit,
                    matter.urgent_review_limit,
                );
            }
        }
        let task_ids: Vec<Uuid> = reviews.iter().map(|_| Uuid::now_v7()).collect();
        let mut limits = vec![(
            matter.limit_unit,
            i64::from(matter.promised_limit),
            None,
            case.lead_department_id,
        )];
        limits.extend(reviews.iter().zip(&task_ids).map(|((r, _), id)| {
            (
                LimitUnit::WorkingDays,
                i64::from(r.limit),
                Some(*id),
                r.department_id,
            )
        }));
        let started = self
            .start_clocks(txn, calendar, start, case.id, &limits, case.urgent)
            .await?;
        let mut written = Written {
            clocks: self.fresh_clock_views(calendar, &started, now)?,
            ..Written::default()
        };
        let mut clocks = started.into_iter();
        let case_clock = clocks
            .next()
            .ok_or_else(|| Error::Internal("no case clock".into()))?;

        log.push(
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
        );
        let mut tasks = Vec::with_capacity(reviews.len());
        for (((review, chain), clock), task_id) in reviews.iter().zip(clocks).zip(task_ids) {
            let assignment = people::assign(chain[0], chain, &away);
            if assignment.nobody_available {
                self.alert_unstaffed(txn, review.department_id, now).await?;
            }
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
                urgent: case.urgent,
            });
        }
        task::Entity::insert_many(tasks.iter().cloned().map(task::ActiveModel::from))
            .exec_without_returning(txn)
            .await?;

        let from = case.status;
        let mut active = case.into_active_model();
        active.status = Set(acceptance.status().into());
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
        written.tasks = tasks.into_iter().map(Into::into).collect();
        for (id, person) in people {
            written.staff.insert(id, person.try_into()?);
        }
        Ok((case, written))
    }
}

/// What accepting a case takes besides the case: its matter, the rule's acceptance, whether it
/// is deemed accepted on receipt (行政许可法 §32), and the events already due in the same write.
pub(crate) struct Accepting<'a> {
    pub matter: &'a matter::Model,
    pub acceptance: Acceptance,
    pub deemed: bool,
    pub log: Vec<NewEvent>,
}
