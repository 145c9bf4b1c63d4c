//! 否定报备 — a denial, non-acceptance or return is filed as a report and takes effect only when
//! the lead department's head (a joint case: a centre leader) signs it. Until then the case
//! shows the report as pending and waits.

use crate::cases::status::notice_context;
use crate::cases::verb::{self, Verb, open_verb};
use crate::cases::{ensure_no_pending_report, lock_case};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use crate::mail::outbox::{self, NewMessage};
use chrono::{DateTime, Utc};
use lianban_entity::{
    DecisionOutcome, NegativeOutcome, ReportStatus, TaskStatus, case, negative_report, task,
};
use lianban_rules::cases::notices;
use lianban_rules::cases::{self as lifecycle, Objection};
use lianban_rules::mail::{Mail, NegativeReportPending};
use lianban_rules::policy::{self, Actor};
use lianban_rules::roles::Role;
use lianban_rules::validate;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter,
};
use serde_json::json;
use uuid::Uuid;

/// What the lead window files to return a case or refuse to accept it.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The case.
    pub case_id: Uuid,
    /// `NOT_ACCEPTED` or `RETURNED` (a denial is filed through `decide_case`).
    pub outcome: lianban_rules::NegativeOutcome,
    /// Why.
    pub reason: String,
    /// The legal basis.
    pub legal_basis: String,
    /// Same key, same result.
    pub idempotency_key: Option<String>,
}

/// The signer's answer.
#[derive(Debug, Clone)]
pub struct SignReport {
    /// The report.
    pub report_id: Uuid,
    /// True to sign (the outcome takes effect), false to decline (the case goes on).
    pub sign: bool,
    /// Required when declining.
    pub comment: Option<String>,
}

/// A negative outcome as filed: the objections are the departments' when a merge denied it.
pub(crate) struct ReportDraft<'a> {
    pub outcome: NegativeOutcome,
    pub reason: String,
    pub legal_basis: String,
    pub objections: &'a [Objection],
}

/// Files a report inside the caller's transaction and tells the people who may sign it.
pub(crate) async fn file_report_in(
    txn: &DatabaseTransaction,
    actor: &Actor,
    case: &case::Model,
    draft: ReportDraft<'_>,
    now: DateTime<Utc>,
) -> Result<negative_report::Model> {
    let ReportDraft {
        outcome,
        reason,
        legal_basis,
        objections,
    } = draft;
    let reason = validate::required("reason", &reason, validate::MAX_TEXT)?;
    let legal_basis = validate::required("legalBasis", &legal_basis, validate::MAX_TEXT)?;
    lifecycle::may_file_report(case.kind.into(), case.status.into(), outcome.into())?;
    ensure_no_pending_report(txn, case.id).await?;
    let signer = lifecycle::signer_role(case.kind.into());
    let report = negative_report::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case.id),
        outcome: Set(outcome),
        reason: Set(reason.clone()),
        legal_basis: Set(legal_basis.clone()),
        objections: Set(json!(objections)),
        status: Set(ReportStatus::Pending),
        signer_role: Set(signer.as_str().to_owned()),
        filed_by: Set(actor.staff_id),
        filed_at: Set(now),
        decided_by: Set(None),
        decided_at: Set(None),
        comment: Set(None),
    }
    .insert(txn)
    .await?;
    events::record(
        txn,
        now,
        vec![
            NewEvent::case(
                EventKind::NegativeReportFiled,
                case.id,
                Some(actor.staff_id),
            )
            .after(json!({
                "reportId": report.id,
                "outcome": outcome,
                "reason": reason,
                "legalBasis": legal_basis,
                "signerRole": signer.as_str(),
            })),
        ],
    )
    .await?;
    let signers = crate::people::holders_of(txn, signer)
        .await?
        .into_iter()
        .filter(|s| signer == Role::Leader || s.department_id == case.lead_department_id);
    for person in signers {
        outbox::enqueue(
            txn,
            now,
            NewMessage {
                message_id: format!("report-{}-to-{}", report.id, person.id),
                recipient_id: Some(person.id),
                recipient_email: person.email.clone(),
                mail: Mail::NegativeReportPending(NegativeReportPending {
                    case_id: case.id,
                    number: case.number.clone(),
                    report_id: report.id,
                    outcome: outcome.into(),
                }),
            },
        )
        .await?;
    }
    Ok(report)
}

impl Engine {
    /// Files a return (退回) or non-acceptance (不予受理) for signature.
    ///
    /// # Errors
    /// `INVALID_INPUT` for a missing reason or legal basis, or a denial (which `decide_case`
    /// files); `FORBIDDEN` unless the lead window; `INVALID_STATE` when the case is past it or a
    /// report is already pending.
    pub async fn file_report(
        &self,
        actor: &Actor,
        input: FileReport,
    ) -> Result<crate::cases::CaseView> {
        if input.outcome == NegativeOutcome::Denied {
            return Err(Error::invalid(
                "outcome",
                "a denial is filed by deciding the case DENIED",
            ));
        }
        let Verb {
            gate,
            txn,
            case,
            now,
        } = open_verb!(self.open_verb(
            actor,
            input.case_id,
            "fileReport",
            input.idempotency_key.as_deref(),
            |_, scope| { policy::require_lead_window(actor, scope, "file this report") }
        ));
        let draft = ReportDraft {
            outcome: input.outcome.into(),
            reason: input.reason,
            legal_basis: input.legal_basis,
            objections: &[],
        };
        file_report_in(&txn, actor, &case, draft, now).await?;
        verb::close(actor, gate, txn, case).await
    }

    /// Signs or declines a pending report. Signing makes its outcome take effect: the case is
    /// denied, not accepted or returned, its clocks stop, open tasks are cancelled, and the
    /// applicant's notice states the reason, the legal basis and the right to appeal.
    ///
    /// # Errors
    /// `NOT_FOUND`; `FORBIDDEN` unless the report's signer; `INVALID_STATE` when it is no longer
    /// pending; `INVALID_INPUT` when declining without a comment.
    pub async fn sign_negative_report(
        &self,
        actor: &Actor,
        input: SignReport,
    ) -> Result<crate::views::NegativeReportView> {
        let comment = validate::optional("comment", input.comment.as_deref(), validate::MAX_TEXT)?;
        if !input.sign && comment.is_none() {
            return Err(Error::invalid("comment", "say why the report is declined"));
        }
        let now = self.now();
        let report = negative_report::Entity::find_by_id(input.report_id)
            .one(self.db())
            .await?
            .ok_or_else(|| Error::not_found(format!("report {}", input.report_id)))?;
        let (_gate, txn) = self.begin_write().await?;
        let case = lock_case(&txn, report.case_id).await?;
        let report = negative_report::Entity::find_by_id(report.id)
            .one(&txn)
            .await?
            .ok_or_else(|| Error::not_found("report"))?;
        let signer = Role::parse(&report.signer_role)?;
        let may_sign = actor.has(signer)
            && (signer == Role::Leader || actor.department_id == case.lead_department_id);
        if !may_sign {
            return Err(Error::Forbidden(format!(
                "this report is signed by {} of the lead department",
                report.signer_role
            )));
        }
        if report.status != ReportStatus::Pending {
            return Err(Error::InvalidState(format!(
                "this report is already {:?}",
                report.status
            )));
        }
        let status = if input.sign {
            ReportStatus::Signed
        } else {
            ReportStatus::Declined
        };
        let mut active = report.clone().into_active_model();
        active.status = Set(status);
        active.decided_by = Set(Some(actor.staff_id));
        active.decided_at = Set(Some(now));
        active.comment = Set(comment.clone());
        let report_row = active.update(&txn).await?;
        if !input.sign {
            events::record(
                &txn,
                now,
                vec![
                    NewEvent::case(
                        EventKind::NegativeReportDeclined,
                        case.id,
                        Some(actor.staff_id),
                    )
                    .after(json!({ "reportId": report.id, "comment": comment })),
                ],
            )
            .await?;
            txn.commit().await?;
            return Ok(crate::views::NegativeReportView::from(report_row));
        }
        let to = lifecycle::transition(
            case.kind.into(),
            case.status.into(),
            lifecycle::signing_action(report.outcome.into()),
        )?;
        self.end_open_work(&txn, &case, now).await?;
        let before = case.status;
        let mut active = case.into_active_model();
        if report.outcome == NegativeOutcome::Denied {
            active.decided_at = Set(Some(now));
            active.decision = Set(Some(DecisionOutcome::Denied));
            active.decision_reason = Set(Some(report.reason.clone()));
        }
        let case = active.update(&txn).await?;
        let case = self.set_status(&txn, case, to, now).await?;
        let matter = self.matter_of(&txn, &case).await?;
        let ctx = notice_context(self, &case, &matter, now);
        let text = match report.outcome {
            NegativeOutcome::Denied => {
                let objections: Vec<Objection> = serde_json::from_value(report.objections.clone())
                    .map_err(|e| Error::Internal(format!("report objections: {e}")))?;
                notices::denial(&ctx, &report.reason, &report.legal_basis, &objections)
            }
            NegativeOutcome::NotAccepted => notices::refusal(
                &ctx,
                lianban_rules::NoticeKind::NotAccepted,
                &report.reason,
                &report.legal_basis,
            ),
            NegativeOutcome::Returned => notices::refusal(
                &ctx,
                lianban_rules::NoticeKind::Return,
                &report.reason,
                &report.legal_basis,
            ),
        };
        let kind = text.kind;
        let notice = self
            .issue_notice(&txn, &case, text, actor.staff_id, None, now)
            .await?;
        let mut log = vec![
            NewEvent::case(
                EventKind::NegativeReportSigned,
                case.id,
                Some(actor.staff_id),
            )
            .before(json!({ "status": before }))
            .after(json!({ "reportId": report.id, "outcome": report.outcome, "status": to })),
            NewEvent::case(EventKind::NoticeIssued, case.id, Some(actor.staff_id))
                .after(json!({ "noticeId": notice.id, "kind": kind })),
        ];
        if report.outcome == NegativeOutcome::Denied {
            log.insert(
                1,
                NewEvent::case(EventKind::CaseDecided, case.id, Some(actor.staff_id))
                    .before(json!({ "status": before }))
                    .after(json!({ "status": to, "decision": DecisionOutcome::Denied, "reason": report.reason })),
            );
        }
        events::record(&txn, now, log).await?;
        txn.commit().await?;
        Ok(crate::views::NegativeReportView::from(report_row))
    }

    /// Stops the case's clocks and cancels its unfinished tasks (a case that ends early).
    pub(crate) async fn end_open_work(
        &self,
        txn: &DatabaseTransaction,
        case: &case::Model,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if let Some(clock_id) = case.clock_id {
            self.stop_clock(txn, clock_id, now).await?;
        }
        let unfinished = task::Entity::find()
            .filter(task::Column::CaseId.eq(case.id))
            .filter(task::Column::Status.is_in([TaskStatus::Open, TaskStatus::AwaitingSupplement]))
            .all(txn)
            .await?;
        let mut log = Vec::new();
        for t in &unfinished {
            self.stop_clock(txn, t.clock_id, now).await?;
            log.push(
                NewEvent::case(EventKind::TaskCancelled, case.id, None)
                    .task(t.id)
                    .before(json!({ "status": t.status }))
                    .after(json!({ "status": TaskStatus::Cancelled })),
            );
        }
        task::Entity::update_many()
            .col_expr(task::Column::Status, Expr::value(TaskStatus::Cancelled))
            .filter(task::Column::Id.is_in(unfinished.iter().map(|t| t.id)))
            .exec(txn)
            .await?;
        events::record(txn, now, log).await
    }
}
