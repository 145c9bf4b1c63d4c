//! 特别程序 — a hearing, expert review, testing, inspection, public notice or site survey
//! suspends the case: its clock and every open task clock stand still until it resumes
//! (行政许可法 §45). The pause moves every due time by exactly the paused working time.

use crate::cases::ensure_no_pending_report;
use crate::cases::verb::{self, Verb, open_verb};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use lianban_entity::{
    CaseStatus, ClockState, SuspensionKind, TaskStatus, case, clock, suspension, task,
};
use lianban_rules::cases::{self as lifecycle, Action};
use lianban_rules::policy::{self, Actor};
use lianban_rules::validate;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

/// What the lead window sends to suspend a case for a special procedure.
#[derive(Debug, Clone)]
pub struct SuspendCase {
    /// The case.
    pub case_id: Uuid,
    /// Which procedure (not `SUPPLEMENT`: that is the supplement notice's business).
    pub procedure: lianban_rules::SuspensionKind,
    /// Why.
    pub reason: String,
    /// The legal basis.
    pub legal_basis: String,
    /// Expected length, in working days.
    pub expected_days: i32,
}

impl Engine {
    /// Suspends a case for a special procedure: the case's clock and its open tasks' clocks pause.
    ///
    /// # Errors
    /// `INVALID_INPUT` for a missing reason or legal basis or a bad expected length;
    /// `FORBIDDEN` unless the lead window; `INVALID_STATE` unless the case is in review or
    /// awaiting its decision.
    pub async fn suspend_case(
        &self,
        actor: &Actor,
        input: SuspendCase,
    ) -> Result<crate::cases::CaseView> {
        if input.procedure == SuspensionKind::Supplement {
            return Err(Error::invalid(
                "procedure",
                "a supplement suspends the case through its notice",
            ));
        }
        let reason = validate::required("reason", &input.reason, validate::MAX_TEXT)?;
        let legal_basis = validate::required("legalBasis", &input.legal_basis, validate::MAX_TEXT)?;
        if !(1..=250).contains(&input.expected_days) {
            return Err(Error::invalid(
                "expectedDays",
                "must be 1..=250 working days",
            ));
        }
        let Verb {
            gate,
            txn,
            case,
            now,
        } = open_verb!(self.open_verb(actor, input.case_id, "", None, |_, scope| {
            policy::require_lead_window(actor, scope, "suspend it")
        }));
        ensure_no_pending_report(&txn, case.id).await?;
        let to = lifecycle::transition(case.kind.into(), case.status.into(), Action::Suspend)?;
        let label = format!(
            "{}：{reason}",
            lianban_rules::cases::urgent::procedure_name(input.procedure)
        );
        for clock_id in self.counting_clocks(&txn, &case).await? {
            self.pause_clock(&txn, clock_id, now, &label).await?;
        }
        suspension::ActiveModel {
            id: Set(Uuid::now_v7()),
            case_id: Set(case.id),
            kind: Set(lianban_entity::SuspensionKind::from(input.procedure)),
            previous_status: Set(case.status),
            reason: Set(reason.clone()),
            legal_basis: Set(Some(legal_basis.clone())),
            expected_days: Set(Some(input.expected_days)),
            started_at: Set(now),
            started_by: Set(actor.staff_id),
            ended_at: Set(None),
            ended_by: Set(None),
        }
        .insert(&txn)
        .await?;
        let before = case.status;
        let case = self.set_status(&txn, case, to, now).await?;
        events::record(
            &txn,
            now,
            vec![
                NewEvent::case(EventKind::CaseSuspended, case.id, Some(actor.staff_id))
                    .before(json!({ "status": before }))
                    .after(json!({
                        "status": CaseStatus::Suspended,
                        "procedure": input.procedure,
                        "reason": reason,
                        "legalBasis": legal_basis,
                        "expectedDays": input.expected_days,
                    })),
            ],
        )
        .await?;
        verb::close(actor, gate, txn, case).await
    }

    /// Resumes a suspended case: its clocks count again, each due time moved by the pause.
    ///
    /// # Errors
    /// `FORBIDDEN` unless the lead window; `INVALID_STATE` when the case is not suspended.
    pub async fn resume_case(
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
            policy::require_lead_window(actor, scope, "resume it")
        }));
        if case.status != CaseStatus::Suspended {
            return Err(Error::InvalidState(format!(
                "the case is {:?}, not suspended; there is nothing to resume",
                case.status
            )));
        }
        let open = suspension::Entity::find()
            .filter(suspension::Column::CaseId.eq(case.id))
            .filter(suspension::Column::EndedAt.is_null())
            .order_by_desc(suspension::Column::StartedAt)
            .one(&txn)
            .await?
            .ok_or_else(|| {
                Error::Internal(format!("case {} suspended without a suspension", case.id))
            })?;
        if open.kind == SuspensionKind::Supplement {
            return Err(Error::InvalidState(
                "the case waits for the applicant's material: record it with resubmitMaterials"
                    .to_owned(),
            ));
        }
        let to = lifecycle::transition(
            case.kind.into(),
            case.status.into(),
            Action::Resume(open.previous_status.into()),
        )?;
        let mut due = None;
        for clock_id in self.paused_clocks(&txn, &case).await? {
            let moved = self.resume_clock(&txn, &calendar, clock_id, now).await?;
            if Some(clock_id) == case.clock_id {
                due = Some(moved);
            }
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
        let case = self.set_status(&txn, case, to, now).await?;
        events::record(
            &txn,
            now,
            vec![NewEvent::case(EventKind::CaseResumed, case.id, Some(actor.staff_id))
                .before(json!({ "status": CaseStatus::Suspended }))
                .after(json!({ "status": open.previous_status, "dueAt": due, "procedure": open.kind }))],
        )
        .await?;
        verb::close(actor, gate, txn, case).await
    }

    /// The case's clock and its open tasks' clocks that are counting.
    async fn counting_clocks(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        case: &case::Model,
    ) -> Result<Vec<Uuid>> {
        self.case_clocks(txn, case, ClockState::Running).await
    }

    async fn paused_clocks(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        case: &case::Model,
    ) -> Result<Vec<Uuid>> {
        self.case_clocks(txn, case, ClockState::Paused).await
    }

    pub(crate) async fn case_clocks(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        case: &case::Model,
        state: ClockState,
    ) -> Result<Vec<Uuid>> {
        let mut ids: Vec<Uuid> = task::Entity::find()
            .filter(task::Column::CaseId.eq(case.id))
            .filter(task::Column::Status.eq(TaskStatus::Open))
            .all(txn)
            .await?
            .into_iter()
            .map(|t| t.clock_id)
            .collect();
        ids.extend(case.clock_id);
        Ok(clock::Entity::find()
            .filter(clock::Column::Id.is_in(ids))
            .filter(clock::Column::State.eq(state))
            .all(txn)
            .await?
            .into_iter()
            .map(|c| c.id)
            .collect())
    }
}
