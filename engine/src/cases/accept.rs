//! 受理 — accepting a case starts its clock and, in the same transaction, fans out one task per
//! reviewing department, each to its post's first available holder (SPEC §3, §6). A case
//! accepted more than five working days after receipt without a supplement notice counts as
//! accepted on the day it was received (行政许可法 §32).

use crate::cases::staffing::{Staffing, staffing};
use crate::cases::status::{notice_context, notice_row, status_message, task_message};
use crate::cases::verb::{self, Verb, open_verb};
use crate::cases::{Written, ensure_no_pending_report};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use crate::mail::outbox;
use crate::store::batch::Batch;
use chrono::{DateTime, Utc};
use lianban_entity::{LimitUnit, NoticeKind, TaskStatus, case, clock, matter, notice, task};
use lianban_rules::calendar::WorkingCalendar;
use lianban_rules::cases::notices;
use lianban_rules::cases::{self as lifecycle, Acceptance};
use lianban_rules::people;
use lianban_rules::policy::{self, Actor};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    QueryTrait,
};
use serde_json::json;
use std::collections::HashSet;
use uuid::Uuid;

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
        let accepting = Accepting {
            matter: &matter,
            acceptance,
            deemed,
            log: Vec::new(),
            case_row: CaseRow::Update,
        };
        let planned = self
            .plan_acceptance(&txn, &calendar, actor, case, accepting, now)
            .await?;
        let (case, written) = planned.write(self, &txn, now).await?;
        Ok(verb::close(actor, gate, txn, case)
            .await?
            .with_written(written))
    }

    /// Plans the acceptance of a case (reading through `db` who gets its tasks): its clocks,
    /// tasks, messages, notice and events, each one multi-row write of one batch (this is the
    /// hot path of W1), and the case as it will be. Nothing is written yet: see
    /// [`Planned::write`].
    pub(crate) async fn plan_acceptance<C: ConnectionTrait>(
        &self,
        db: &C,
        calendar: &WorkingCalendar,
        actor: &Actor,
        case: case::Model,
        accepting: Accepting<'_>,
        now: DateTime<Utc>,
    ) -> Result<Planned> {
        let Accepting {
            matter,
            acceptance,
            deemed,
            mut log,
            case_row,
        } = accepting;
        let start = if deemed { case.received_at } else { now };
        // 办事指南: accepted under the version it was received under.
        let as_received;
        let matter = match case.guide_version {
            Some(v) if matter.guide_version != Some(v) => {
                as_received = crate::guides::matter_as_of(db, matter, v).await?;
                &as_received
            }
            _ => matter,
        };
        let Staffing {
            mut reviews,
            away,
            people,
        } = staffing(db, matter, acceptance, now, case.first_responder_id).await?;
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
        let (clock_rows, missing_years) =
            self.clock_rows(calendar, start, case.id, &limits, case.urgent)?;
        let mut written = Written {
            clocks: self.fresh_clock_views(calendar, &clock_rows, now)?,
            ..Written::default()
        };
        let mut clocks = clock_rows.iter();
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
        let mut unstaffed = Vec::new();
        for (((review, chain), clock), task_id) in reviews.iter().zip(clocks).zip(task_ids) {
            let assignment = people::assign(chain[0], chain, &away);
            if assignment.nobody_available {
                unstaffed.push(review.department_id);
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

        let from = case.status;
        let case = case::Model {
            status: acceptance.status().into(),
            accepted_at: Some(start),
            clock_id: Some(case_clock.id),
            updated_at: now,
            ..case
        };
        let mut batch = Batch::new(db.get_database_backend());
        // The case first: on SQLite, where the writes run in turn, the clocks refer to it.
        // Its clock comes in the same batch — one statement on PostgreSQL, where the keys are
        // checked at its end; on SQLite the case row is written without it and then updated.
        let backend = db.get_database_backend();
        match case_row {
            CaseRow::Insert if backend == sea_orm::DbBackend::Postgres => {
                batch.push(
                    &case::Entity::insert(case::ActiveModel::from(case.clone())).into_query(),
                );
            }
            CaseRow::Insert => {
                let received = case::Model {
                    clock_id: None,
                    ..case.clone()
                };
                batch.push(&case::Entity::insert(case::ActiveModel::from(received)).into_query());
            }
            CaseRow::Update => {}
        }
        batch.push(
            &clock::Entity::insert_many(clock_rows.iter().cloned().map(clock::ActiveModel::from))
                .into_query(),
        );
        if !tasks.is_empty() {
            batch.push(
                &task::Entity::insert_many(tasks.iter().cloned().map(task::ActiveModel::from))
                    .into_query(),
            );
        }
        if case_row == CaseRow::Update || backend != sea_orm::DbBackend::Postgres {
            batch.push(
                case::Entity::update_many()
                    .col_expr(case::Column::Status, Expr::value(case.status))
                    .col_expr(case::Column::AcceptedAt, Expr::value(case.accepted_at))
                    .col_expr(case::Column::ClockId, Expr::value(case.clock_id))
                    .col_expr(case::Column::UpdatedAt, Expr::value(now))
                    .filter(case::Column::Id.eq(case.id))
                    .as_query(),
            );
        }

        // Who hears of it: each assignee, and the first responder of the status change.
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
        for write in outbox::enqueue_statements(backend, now, messages)? {
            batch.push_statement(write);
        }

        let text = notices::acceptance(
            &notice_context(self, &case, matter, now),
            responder.map_or("", |r| r.display_name.as_str()),
            case_clock.due_at,
            deemed.then_some(case.received_at),
        );
        let notice = notice_row(&case, text, actor.staff_id, None, now);
        batch.push(&notice::Entity::insert(notice::ActiveModel::from(notice.clone())).into_query());
        log.push(
            NewEvent::case(EventKind::NoticeIssued, case.id, Some(actor.staff_id))
                .after(json!({ "noticeId": notice.id, "kind": NoticeKind::Acceptance })),
        );
        if let Some(insert) = events::insert(now, log) {
            batch.push(&insert);
        }
        written.tasks = tasks.into_iter().map(Into::into).collect();
        let assignees: HashSet<Uuid> = written
            .tasks
            .iter()
            .map(|t| t.assignee_id)
            .chain([case.first_responder_id])
            .collect();
        for (id, person) in people {
            if assignees.contains(&id) {
                written.staff.insert(id, person.try_into()?);
            }
        }
        Ok(Planned {
            case,
            written: Some(written),
            batch,
            missing_years,
            unstaffed,
        })
    }
}

/// Whether accepting writes the case's row (a case opened and accepted at once) or updates it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CaseRow {
    Insert,
    Update,
}

/// What accepting a case takes besides the case: its matter, the rule's acceptance, whether it
/// is deemed accepted on receipt (行政许可法 §32), the events already due in the same write, and
/// whether the case's row is new.
pub(crate) struct Accepting<'a> {
    pub matter: &'a matter::Model,
    pub acceptance: Acceptance,
    pub deemed: bool,
    pub log: Vec<NewEvent>,
    pub case_row: CaseRow,
}

/// An acceptance planned and not yet written: the case as it will be, what the answer is given
/// from, the batch that writes it, and the rare alerts that go with it (a calendar year not yet
/// published, a department nobody can act for).
pub(crate) struct Planned {
    pub case: case::Model,
    pub written: Option<Written>,
    pub batch: Batch,
    missing_years: Vec<i32>,
    unstaffed: Vec<Uuid>,
}

impl Planned {
    /// A change planned as a batch alone, with nothing written on the case's parts to answer
    /// from.
    pub(crate) fn batch(case: case::Model, batch: Batch) -> Planned {
        Planned {
            case,
            written: None,
            batch,
            missing_years: Vec::new(),
            unstaffed: Vec::new(),
        }
    }

    /// Whether the batch is all there is to write (no alert goes with it).
    pub(crate) fn batch_only(&self) -> bool {
        self.missing_years.is_empty() && self.unstaffed.is_empty()
    }

    /// Writes the acceptance inside `txn`: the alerts, then the batch.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub(crate) async fn write(
        self,
        engine: &Engine,
        txn: &DatabaseTransaction,
        now: DateTime<Utc>,
    ) -> Result<(case::Model, Option<Written>)> {
        if !self.missing_years.is_empty() {
            engine
                .warn_missing_years(txn, now, &self.missing_years)
                .await?;
        }
        for department_id in self.unstaffed {
            engine.alert_unstaffed(txn, department_id, now).await?;
        }
        self.batch.run(txn).await?;
        Ok((self.case, self.written))
    }
}
