//! 急事急办、特事特办 — the lead window marks a case urgent, with a category and a reason. An
//! urgent case sorts first in every queue and board (`urgent` on the case, its tasks and its
//! clocks, each read from an index), its tasks carry the matter's shorter review limit, and its
//! clocks remind earlier (`LadderSettings::urgent_reminder`). Marked after acceptance, the open
//! tasks are shortened to that limit (never lengthened, and never to less than one more working
//! day from the mark) and their due times recomputed, in the
//! same transaction as the event; each assignee hears of it.

use crate::cases::verb::{self, Verb, open_verb};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use crate::mail::outbox::{self, NewMessage};
use lianban_entity::{ClockState, TaskStatus, clock, staff, task};
use lianban_rules::mail::{Mail, TaskUrgent};
use lianban_rules::policy::{self, Actor};
use lianban_rules::validate;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use serde_json::json;
use std::collections::HashMap;
use uuid::Uuid;

pub(crate) use lianban_rules::cases::urgent::{may_mark_urgent, review_limit};

impl Engine {
    /// Marks a case urgent. Marking it again changes nothing.
    ///
    /// # Errors
    /// `FORBIDDEN` unless the case's lead window; `INVALID_INPUT` for an empty or oversized
    /// reason; `INVALID_STATE` once the case is decided or closed; `NOT_FOUND`.
    pub async fn mark_urgent(
        &self,
        actor: &Actor,
        case_id: Uuid,
        category: lianban_rules::UrgentCategory,
        reason: &str,
    ) -> Result<crate::cases::CaseView> {
        let reason = validate::required("reason", reason, validate::MAX_TEXT)?;
        let calendar = self.sync_calendar().await?;
        let Verb {
            gate,
            txn,
            case,
            now,
        } = open_verb!(self.open_verb(actor, case_id, "", None, |_, scope| {
            policy::require_lead_window(actor, scope, "mark it urgent")
        }));
        if case.urgent {
            txn.rollback().await?;
            drop(gate);
            return self.case_view(actor, case_id).await;
        }
        if !may_mark_urgent(case.status.into()) {
            return Err(Error::InvalidState(format!(
                "a case in {:?} is no longer handled: it cannot be marked urgent",
                case.status
            )));
        }
        let matter = self.matter_of(&txn, &case).await?;
        task::Entity::update_many()
            .col_expr(task::Column::Urgent, Expr::value(true))
            .filter(task::Column::CaseId.eq(case.id))
            .exec(&txn)
            .await?;
        clock::Entity::update_many()
            .col_expr(clock::Column::Urgent, Expr::value(true))
            .filter(clock::Column::CaseId.eq(case.id))
            .exec(&txn)
            .await?;
        let open: Vec<task::Model> = task::Entity::find()
            .filter(task::Column::CaseId.eq(case.id))
            .filter(task::Column::Status.eq(TaskStatus::Open))
            .all(&txn)
            .await?;
        let mut log = vec![
            NewEvent::case(EventKind::CaseMarkedUrgent, case.id, Some(actor.staff_id)).after(
                json!({ "category": category, "reason": reason, "urgentReviewLimit": matter.urgent_review_limit }),
            ),
        ];
        let mut shortened: HashMap<Uuid, (i32, chrono::DateTime<chrono::Utc>)> = HashMap::new();
        // Shortened to the urgent limit, but never so far that less than the rest of today and
        // one more working day is left: a department is not made late by somebody else's mark.
        let floor = calendar.add_working_days(now, 1)?;
        for t in &open {
            let mut limit = review_limit(t.review_limit, matter.urgent_review_limit);
            let due = loop {
                clock::Entity::update_many()
                    .col_expr(clock::Column::Budget, Expr::value(i64::from(limit)))
                    .filter(clock::Column::Id.eq(t.clock_id))
                    .exec(&txn)
                    .await?;
                // Every open clock: the earlier reminder, and a shorter due time where shortened.
                let due = self
                    .recompute_clock(&txn, &calendar, t.clock_id, now)
                    .await?;
                if due >= floor || limit >= t.review_limit {
                    break due;
                }
                limit += 1;
            };
            if limit < t.review_limit {
                task::Entity::update_many()
                    .col_expr(task::Column::ReviewLimit, Expr::value(limit))
                    .filter(task::Column::Id.eq(t.id))
                    .exec(&txn)
                    .await?;
                shortened.insert(t.id, (limit, due));
                log.push(
                    NewEvent::case(EventKind::CaseMarkedUrgent, case.id, Some(actor.staff_id))
                        .task(t.id)
                        .before(json!({ "limit": t.review_limit }))
                        .after(json!({ "limit": limit, "dueAt": due })),
                );
            }
        }
        if let Some(clock_id) = case.clock_id {
            let running = clock::Entity::find_by_id(clock_id)
                .one(&txn)
                .await?
                .is_some_and(|c| c.state != ClockState::Stopped);
            if running {
                self.recompute_clock(&txn, &calendar, clock_id, now).await?;
            }
        }
        let assignees: HashMap<Uuid, staff::Model> = staff::Entity::find()
            .filter(staff::Column::Id.is_in(open.iter().map(|t| t.assignee_id)))
            .all(&txn)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
        let messages = open
            .iter()
            .filter_map(|t| {
                let person = assignees.get(&t.assignee_id)?;
                Some(NewMessage {
                    message_id: format!("urgent-{}-{}", t.id, person.id),
                    recipient_id: Some(person.id),
                    recipient_email: person.email.clone(),
                    mail: Mail::TaskUrgent(TaskUrgent {
                        case_id: case.id,
                        task_id: t.id,
                        category,
                        reason: reason.clone(),
                        limit: shortened.get(&t.id).map(|s| s.0),
                        due_at: shortened.get(&t.id).map(|s| s.1),
                    }),
                })
            })
            .collect();
        outbox::enqueue_many(&txn, now, messages).await?;
        events::record(&txn, now, log).await?;
        let mut active = case.into_active_model();
        active.urgent = Set(true);
        active.urgent_category = Set(Some(lianban_entity::UrgentCategory::from(category)));
        active.urgent_reason = Set(Some(reason));
        active.urgent_by = Set(Some(actor.staff_id));
        active.urgent_at = Set(Some(now));
        active.updated_at = Set(now);
        let case = active.update(&txn).await?;
        verb::close(actor, gate, txn, case).await
    }
}
