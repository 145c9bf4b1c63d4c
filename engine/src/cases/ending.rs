//! How cases end: a consultation answered, a case reported up and the upper authority's
//! answer recorded, the result delivered (送达, within 10 working days of the decision), the
//! case archived, or withdrawn by the applicant (every open task cancelled).

use crate::cases::status::notice_context;
use crate::cases::verb::{self, Verb, open_verb};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use lianban_entity::{DecisionOutcome, NoticeKind, ReportStatus, clock, negative_report};
use lianban_rules::cases::notices;
use lianban_rules::cases::{self as lifecycle, Action};
use lianban_rules::policy::{self, Actor};
use lianban_rules::validate;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use serde_json::json;
use uuid::Uuid;

/// Reporting a case to the upper authority.
#[derive(Debug, Clone)]
pub struct ReportUp {
    /// The case.
    pub case_id: Uuid,
    /// The upper authority (e.g. 省市场监督管理局).
    pub authority: String,
    /// Its limit, counted from acceptance.
    pub limit: i64,
    /// The unit of that limit (must be the case clock's).
    pub unit: lianban_rules::LimitUnit,
}

/// The upper authority's answer.
#[derive(Debug, Clone)]
pub struct RecordUpperAnswer {
    /// The case.
    pub case_id: Uuid,
    /// Whether it approved.
    pub approved: bool,
    /// Its answer, as received.
    pub answer: String,
}

/// Delivering the result.
#[derive(Debug, Clone)]
pub struct DeliverResult {
    /// The case.
    pub case_id: Uuid,
    /// How (窗口领取, 邮寄, 电子送达, …).
    pub method: String,
}

impl Engine {
    /// 咨询答复 — answers a consultation; the answer is stored as a notice.
    ///
    /// # Errors
    /// `FORBIDDEN` unless the lead window; `INVALID_STATE` unless a received consultation;
    /// `INVALID_INPUT` for an empty answer.
    pub async fn answer_case(
        &self,
        actor: &Actor,
        case_id: Uuid,
        answer: &str,
        idempotency_key: Option<&str>,
    ) -> Result<crate::cases::CaseView> {
        let answer = validate::required("answer", answer, validate::MAX_TEXT)?;
        let Verb {
            gate,
            txn,
            case,
            now,
        } = open_verb!(self.open_verb(
            actor,
            case_id,
            "answerCase",
            idempotency_key,
            |_, scope| { policy::require_lead_window(actor, scope, "answer it") }
        ));
        let to = lifecycle::transition(case.kind.into(), case.status.into(), Action::Answer)?;
        let mut active = case.into_active_model();
        active.decided_at = Set(Some(now));
        let case = active.update(&txn).await?;
        let case = self.set_status(&txn, case, to, now).await?;
        let matter = self.matter_of(&txn, &case).await?;
        let notice = self
            .issue_notice(
                &txn,
                &case,
                notices::answer(&notice_context(self, &case, &matter, now), &answer),
                actor.staff_id,
                None,
                now,
            )
            .await?;
        events::record(
            &txn,
            now,
            vec![
                NewEvent::case(EventKind::CaseAnswered, case.id, Some(actor.staff_id))
                    .after(json!({ "status": to, "answer": answer })),
                NewEvent::case(EventKind::NoticeIssued, case.id, Some(actor.staff_id))
                    .after(json!({ "noticeId": notice.id, "kind": NoticeKind::Answer })),
            ],
        )
        .await?;
        verb::close(actor, gate, txn, case).await
    }

    /// 上报 — reports the case to the upper authority; the case clock keeps running, now against
    /// the upper authority's limit (counted from acceptance).
    ///
    /// # Errors
    /// `FORBIDDEN` unless the lead window; `INVALID_STATE` unless a reported-up case in review;
    /// `INVALID_INPUT` for a missing authority, a bad limit, or a unit other than the clock's.
    pub async fn report_up(
        &self,
        actor: &Actor,
        input: ReportUp,
    ) -> Result<crate::cases::CaseView> {
        let authority = validate::required("authority", &input.authority, validate::MAX_NAME)?;
        let calendar = self.sync_calendar().await?;
        let Verb {
            gate,
            txn,
            case,
            now,
        } = open_verb!(self.open_verb(actor, input.case_id, "", None, |_, scope| {
            policy::require_lead_window(actor, scope, "report it up")
        }));
        let to = lifecycle::transition(case.kind.into(), case.status.into(), Action::ReportUp)?;
        let clock_id = case
            .clock_id
            .ok_or_else(|| Error::Internal("reported-up case without a clock".into()))?;
        let row = clock::Entity::find_by_id(clock_id)
            .one(&txn)
            .await?
            .ok_or_else(|| Error::Internal("clock missing".into()))?;
        if row.unit != input.unit {
            return Err(Error::invalid(
                "unit",
                format!(
                    "deadline unit mismatch: the case's clock counts {:?}, not {:?}",
                    row.unit, input.unit
                ),
            ));
        }
        lianban_rules::clocks::StatutoryClock::new(input.unit, input.limit, row.started_at)?;
        clock::Entity::update_many()
            .col_expr(clock::Column::Budget, Expr::value(input.limit))
            .filter(clock::Column::Id.eq(clock_id))
            .exec(&txn)
            .await?;
        let due = self.recompute_clock(&txn, &calendar, clock_id, now).await?;
        let mut active = case.into_active_model();
        active.upper_authority = Set(Some(authority.clone()));
        let case = active.update(&txn).await?;
        let case = self.set_status(&txn, case, to, now).await?;
        events::record(
            &txn,
            now,
            vec![NewEvent::case(EventKind::CaseReportedUp, case.id, Some(actor.staff_id))
                .after(json!({ "status": to, "authority": authority, "limit": input.limit, "unit": input.unit, "dueAt": due }))],
        )
        .await?;
        verb::close(actor, gate, txn, case).await
    }

    /// Records the upper authority's answer as the case's decision.
    ///
    /// # Errors
    /// `FORBIDDEN` unless the lead window; `INVALID_STATE` unless reported up;
    /// `INVALID_INPUT` for an empty answer.
    pub async fn record_upper_answer(
        &self,
        actor: &Actor,
        input: RecordUpperAnswer,
    ) -> Result<crate::cases::CaseView> {
        let answer = validate::required("answer", &input.answer, validate::MAX_TEXT)?;
        let Verb {
            gate,
            txn,
            case,
            now,
        } = open_verb!(self.open_verb(actor, input.case_id, "", None, |_, scope| {
            policy::require_lead_window(actor, scope, "record the answer")
        }));
        let to = lifecycle::transition(
            case.kind.into(),
            case.status.into(),
            Action::RecordUpperAnswer,
        )?;
        if let Some(clock_id) = case.clock_id {
            self.stop_clock(&txn, clock_id, now).await?;
        }
        let outcome = if input.approved {
            DecisionOutcome::Approved
        } else {
            DecisionOutcome::Denied
        };
        let authority = case.upper_authority.clone().unwrap_or_default();
        let mut active = case.into_active_model();
        active.decided_at = Set(Some(now));
        active.decision = Set(Some(outcome));
        active.decision_reason = Set(Some(answer.clone()));
        let case = active.update(&txn).await?;
        let case = self.set_status(&txn, case, to, now).await?;
        let matter = self.matter_of(&txn, &case).await?;
        let text = notices::upper_answer(
            &notice_context(self, &case, &matter, now),
            &authority,
            input.approved,
            &answer,
        );
        let notice = self
            .issue_notice(&txn, &case, text, actor.staff_id, None, now)
            .await?;
        events::record(
            &txn,
            now,
            vec![
                NewEvent::case(
                    EventKind::UpperAnswerRecorded,
                    case.id,
                    Some(actor.staff_id),
                )
                .after(
                    json!({ "authority": authority, "approved": input.approved, "answer": answer }),
                ),
                NewEvent::case(EventKind::CaseDecided, case.id, Some(actor.staff_id))
                    .before(json!({ "status": lianban_entity::CaseStatus::ReportedUp }))
                    .after(json!({ "status": to, "decision": outcome })),
                NewEvent::case(EventKind::NoticeIssued, case.id, Some(actor.staff_id))
                    .after(json!({ "noticeId": notice.id, "kind": NoticeKind::Decision })),
            ],
        )
        .await?;
        verb::close(actor, gate, txn, case).await
    }

    /// 送达 — records that the result reached the applicant; more than 10 working days after the
    /// decision is recorded as late.
    ///
    /// # Errors
    /// `FORBIDDEN` unless the lead window; `INVALID_STATE` unless decided; `INVALID_INPUT` for a
    /// missing method.
    pub async fn deliver_result(
        &self,
        actor: &Actor,
        input: DeliverResult,
    ) -> Result<crate::cases::CaseView> {
        let method = validate::required("method", &input.method, validate::MAX_NAME)?;
        let calendar = self.sync_calendar().await?;
        let Verb {
            gate,
            txn,
            case,
            now,
        } = open_verb!(self.open_verb(actor, input.case_id, "", None, |_, scope| {
            policy::require_lead_window(actor, scope, "deliver its result")
        }));
        let to = lifecycle::transition(case.kind.into(), case.status.into(), Action::Deliver)?;
        let due = match case.decided_at {
            Some(decided) => Some(calendar.add_working_days(decided, 10)?),
            None => None,
        };
        let late = due.is_some_and(|d| now > d);
        let mut active = case.into_active_model();
        active.delivered_at = Set(Some(now));
        active.delivery_method = Set(Some(method.clone()));
        let case = active.update(&txn).await?;
        let case = self.set_status(&txn, case, to, now).await?;
        events::record(
            &txn,
            now,
            vec![
                NewEvent::case(EventKind::ResultDelivered, case.id, Some(actor.staff_id)).after(
                    json!({ "status": to, "method": method, "deliveryDueAt": due, "late": late }),
                ),
            ],
        )
        .await?;
        verb::close(actor, gate, txn, case).await
    }

    /// 归档 — archives an ended case.
    ///
    /// # Errors
    /// `FORBIDDEN` unless the lead window or a centre admin; `INVALID_STATE` unless ended.
    pub async fn archive_case(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> Result<crate::cases::CaseView> {
        let Verb {
            gate,
            txn,
            case,
            now,
        } = open_verb!(self.open_verb(actor, case_id, "", None, |_, scope| {
            policy::require_archiver(actor, scope)
        }));
        let to = lifecycle::transition(case.kind.into(), case.status.into(), Action::Archive)?;
        let before = case.status;
        let mut active = case.into_active_model();
        active.archived_at = Set(Some(now));
        let case = active.update(&txn).await?;
        let case = self.set_status(&txn, case, to, now).await?;
        events::record(
            &txn,
            now,
            vec![
                NewEvent::case(EventKind::CaseArchived, case.id, Some(actor.staff_id))
                    .before(json!({ "status": before }))
                    .after(json!({ "status": to })),
            ],
        )
        .await?;
        verb::close(actor, gate, txn, case).await
    }

    /// 撤回 — the applicant withdraws: every clock stops, every open task is cancelled, and a
    /// pending report lapses.
    ///
    /// # Errors
    /// `FORBIDDEN` unless the lead window; `INVALID_STATE` unless open; `INVALID_INPUT` for a
    /// missing reason.
    pub async fn withdraw_case(
        &self,
        actor: &Actor,
        case_id: Uuid,
        reason: &str,
    ) -> Result<crate::cases::CaseView> {
        let reason = validate::required("reason", reason, validate::MAX_TEXT)?;
        let Verb {
            gate,
            txn,
            case,
            now,
        } = open_verb!(self.open_verb(actor, case_id, "", None, |_, scope| {
            policy::require_lead_window(actor, scope, "withdraw it")
        }));
        let to = lifecycle::transition(case.kind.into(), case.status.into(), Action::Withdraw)?;
        self.end_open_work(&txn, &case, now).await?;
        negative_report::Entity::update_many()
            .col_expr(
                negative_report::Column::Status,
                Expr::value(ReportStatus::Declined),
            )
            .col_expr(
                negative_report::Column::Comment,
                Expr::value(Some("申请人撤回申请，报备失效".to_owned())),
            )
            .col_expr(negative_report::Column::DecidedAt, Expr::value(Some(now)))
            .filter(negative_report::Column::CaseId.eq(case.id))
            .filter(negative_report::Column::Status.eq(ReportStatus::Pending))
            .exec(&txn)
            .await?;
        let before = case.status;
        let case = self.set_status(&txn, case, to, now).await?;
        events::record(
            &txn,
            now,
            vec![
                NewEvent::case(EventKind::CaseWithdrawn, case.id, Some(actor.staff_id))
                    .before(json!({ "status": before }))
                    .after(json!({ "status": to, "reason": reason })),
            ],
        )
        .await?;
        verb::close(actor, gate, txn, case).await
    }
}
