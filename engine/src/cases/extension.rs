//! 延期 — once per case, approved by the lead department's head (a joint case: a centre
//! leader), at most 10 working days (15 for a joint case), with a reason and a notice.

use crate::cases::status::notice_context;
use crate::cases::verb::{self, Verb, open_verb};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use lianban_entity::{CaseStatus, ClockState, LimitUnit, NoticeKind, clock};
use lianban_rules::cases as lifecycle;
use lianban_rules::cases::notices;
use lianban_rules::policy::Actor;
use lianban_rules::validate;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use serde_json::json;
use uuid::Uuid;

/// What the approver sends.
#[derive(Debug, Clone)]
pub struct ExtendDeadline {
    /// The case.
    pub case_id: Uuid,
    /// Working days to add.
    pub days: i32,
    /// Why.
    pub reason: String,
    /// Same key, same result.
    pub idempotency_key: Option<String>,
}

impl Engine {
    /// Extends a case's limit once.
    ///
    /// # Errors
    /// `FORBIDDEN` unless the right approver; `INVALID_INPUT` for a missing reason, days past
    /// the cap, or a case whose limit is not counted in working days (unit mismatch);
    /// `INVALID_STATE` when the case was extended before or is not under way.
    pub async fn extend_deadline(
        &self,
        actor: &Actor,
        input: ExtendDeadline,
    ) -> Result<crate::cases::CaseView> {
        let reason = validate::required("reason", &input.reason, validate::MAX_TEXT)?;
        let calendar = self.sync_calendar().await?;
        let Verb {
            gate,
            txn,
            case,
            now,
        } = open_verb!(self.open_verb(
            actor,
            input.case_id,
            "extendDeadline",
            input.idempotency_key.as_deref(),
            |case, scope| lianban_rules::policy::require_extension_approver(
                actor,
                case.kind.into(),
                scope
            )
        ));
        if case.extension_days.is_some() {
            return Err(Error::InvalidState(
                "this case has had its one extension".to_owned(),
            ));
        }
        if !matches!(
            case.status,
            CaseStatus::InReview
                | CaseStatus::Suspended
                | CaseStatus::AwaitingDecision
                | CaseStatus::Accepted
        ) {
            return Err(Error::InvalidState(format!(
                "a case in {:?} cannot be extended",
                case.status
            )));
        }
        let clock_id = case
            .clock_id
            .ok_or_else(|| Error::InvalidState("the case has no clock yet".to_owned()))?;
        let row = clock::Entity::find_by_id(clock_id)
            .one(&txn)
            .await?
            .ok_or_else(|| Error::Internal("case clock missing".into()))?;
        if row.unit != LimitUnit::WorkingDays {
            return Err(Error::invalid(
                "days",
                format!(
                    "deadline unit mismatch: this case's limit counts {:?}; an extension counts working days",
                    row.unit
                ),
            ));
        }
        let cap = lifecycle::extension_cap(case.kind.into());
        if !(1..=cap).contains(&input.days) {
            return Err(Error::invalid(
                "days",
                format!("an extension is 1 to {cap} working days"),
            ));
        }
        clock::Entity::update_many()
            .col_expr(
                clock::Column::Budget,
                Expr::value(row.budget + i64::from(input.days)),
            )
            .filter(clock::Column::Id.eq(clock_id))
            .exec(&txn)
            .await?;
        let due = self.recompute_clock(&txn, &calendar, clock_id, now).await?;
        let before_due = row.due_at;
        let mut active = case.into_active_model();
        active.extension_days = Set(Some(input.days));
        active.extension_reason = Set(Some(reason.clone()));
        active.extended_by = Set(Some(actor.staff_id));
        active.extended_at = Set(Some(now));
        active.updated_at = Set(now);
        let case = active.update(&txn).await?;
        let matter = self.matter_of(&txn, &case).await?;
        let text = notices::extension(
            &notice_context(self, &case, &matter, now),
            input.days,
            &reason,
            due,
        );
        let notice = self
            .issue_notice(&txn, &case, text, actor.staff_id, None, now)
            .await?;
        events::record(
            &txn,
            now,
            vec![
                NewEvent::case(EventKind::CaseExtended, case.id, Some(actor.staff_id))
                    .before(
                        json!({ "dueAt": before_due, "paused": row.state == ClockState::Paused }),
                    )
                    .after(json!({ "days": input.days, "reason": reason, "dueAt": due })),
                NewEvent::case(EventKind::NoticeIssued, case.id, Some(actor.staff_id))
                    .after(json!({ "noticeId": notice.id, "kind": NoticeKind::Extension })),
            ],
        )
        .await?;
        verb::close(actor, gate, txn, case).await
    }
}
