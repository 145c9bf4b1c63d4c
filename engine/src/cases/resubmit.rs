//! 补正 — the applicant's material arrives after a supplement notice: before acceptance the case
//! is received again; after it, the departments that asked get their tasks back and every clock
//! counts again.

use crate::cases::verb::{self, Verb, open_verb};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use lianban_entity::{CaseStatus, SuspensionKind, TaskStatus, suspension, task};
use lianban_rules::cases::{self as lifecycle, Action};
use lianban_rules::policy::{self, Actor};
use lianban_rules::validate;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

impl Engine {
    /// 补正 — the applicant's material arrived: before acceptance the case is received again;
    /// after it, the departments that asked get their tasks back and every clock counts again.
    ///
    /// # Errors
    /// `FORBIDDEN` unless the lead window; `INVALID_STATE` when the case is not waiting for
    /// material.
    pub async fn resubmit_materials(
        &self,
        actor: &Actor,
        case_id: Uuid,
        note: Option<String>,
    ) -> Result<crate::cases::CaseView> {
        let note = validate::optional("note", note.as_deref(), validate::MAX_TEXT)?;
        let calendar = self.sync_calendar().await?;
        let Verb {
            gate,
            txn,
            case,
            now,
        } = open_verb!(self.open_verb(actor, case_id, "", None, |_, scope| {
            policy::require_lead_window(actor, scope, "record the material")
        }));
        let before = case.status;
        let (case, reopened) = if case.status == CaseStatus::SupplementRequired {
            let to = lifecycle::transition(
                case.kind.into(),
                case.status.into(),
                Action::ResubmitBeforeAcceptance,
            )?;
            (self.set_status(&txn, case, to, now).await?, 0)
        } else {
            let open = suspension::Entity::find()
                .filter(suspension::Column::CaseId.eq(case.id))
                .filter(suspension::Column::EndedAt.is_null())
                .one(&txn)
                .await?;
            let Some(open) = open.filter(|s| {
                s.kind == SuspensionKind::Supplement && case.status == CaseStatus::Suspended
            }) else {
                return Err(Error::InvalidState(format!(
                    "the case is {:?}, not waiting for the applicant's material",
                    case.status
                )));
            };
            let waiting = task::Entity::find()
                .filter(task::Column::CaseId.eq(case.id))
                .filter(task::Column::Status.eq(TaskStatus::AwaitingSupplement))
                .all(&txn)
                .await?;
            for clock_id in self
                .case_clocks(&txn, &case, lianban_entity::ClockState::Paused)
                .await?
            {
                self.resume_clock(&txn, &calendar, clock_id, now).await?;
            }
            for clock_id in waiting.iter().map(|t| t.clock_id) {
                self.resume_clock(&txn, &calendar, clock_id, now).await?;
            }
            task::Entity::update_many()
                .col_expr(task::Column::Status, Expr::value(TaskStatus::Open))
                .col_expr(task::Column::OpinionId, Expr::value(Option::<Uuid>::None))
                .filter(task::Column::Id.is_in(waiting.iter().map(|t| t.id)))
                .exec(&txn)
                .await?;
            let reopen_log: Vec<NewEvent> = waiting
                .iter()
                .map(|t| {
                    NewEvent::case(EventKind::TaskReopened, case.id, Some(actor.staff_id))
                        .task(t.id)
                        .before(json!({ "status": TaskStatus::AwaitingSupplement }))
                        .after(json!({ "status": TaskStatus::Open }))
                })
                .collect();
            events::record(&txn, now, reopen_log).await?;
            for t in &waiting {
                self.tell_assignee(&txn, case.id, t.id, t.assignee_id, now)
                    .await?;
            }
            suspension::Entity::update_many()
                .col_expr(suspension::Column::EndedAt, Expr::value(Some(now)))
                .col_expr(
                    suspension::Column::EndedBy,
                    Expr::value(Some(actor.staff_id)),
                )
                .filter(suspension::Column::Id.eq(open.id))
                .exec(&txn)
                .await?;
            let still_open = task::Entity::find()
                .filter(task::Column::CaseId.eq(case.id))
                .filter(task::Column::Status.eq(TaskStatus::Open))
                .count(&txn)
                .await?;
            let back_to = if still_open > 0 {
                CaseStatus::InReview
            } else {
                open.previous_status
            };
            let to = lifecycle::transition(
                case.kind.into(),
                case.status.into(),
                Action::Resume(back_to.into()),
            )?;
            (self.set_status(&txn, case, to, now).await?, waiting.len())
        };
        events::record(
            &txn,
            now,
            vec![
                NewEvent::case(
                    EventKind::MaterialsResubmitted,
                    case.id,
                    Some(actor.staff_id),
                )
                .before(json!({ "status": before }))
                .after(json!({ "status": case.status, "note": note, "reopenedTasks": reopened })),
            ],
        )
        .await?;
        verb::close(actor, gate, txn, case).await
    }
}
