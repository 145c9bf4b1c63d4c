//! 决定 — the lead window merges the departments' opinions into one decision. An approval takes
//! effect at once (with every condition, attributed; over an objection only with a written
//! reason, and the objecting department is told in writing); a denial is filed as a negative
//! report and takes effect when signed.

use crate::cases::ensure_no_pending_report;
use crate::cases::reports::{ReportDraft, file_report_in};
use crate::cases::status::notice_context;
use crate::cases::verb::{self, Verb, open_verb};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use crate::mail::outbox::{self, NewMessage};
use lianban_entity::{
    DecisionOutcome, NegativeOutcome, NoticeKind, TaskStatus, case, department, opinion, staff,
    task,
};
use lianban_rules::cases::notices;
use lianban_rules::cases::{self as lifecycle, Action, DecisionDraft, MergeInput};
use lianban_rules::mail::{Mail, ObjectionOverruled};
use lianban_rules::policy::{self, Actor};
use lianban_rules::roles::Role;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder,
};
use serde_json::json;
use std::collections::HashMap;
use uuid::Uuid;

/// What the lead window sends.
#[derive(Debug, Clone)]
pub struct DecideCase {
    /// The case.
    pub case_id: Uuid,
    /// The decision.
    pub draft: DecisionDraft,
    /// Same key, same result.
    pub idempotency_key: Option<String>,
}

/// The current opinions of a case's answered tasks, in task order, ready to merge.
pub(crate) async fn merge_inputs<C: ConnectionTrait>(
    txn: &C,
    case_id: Uuid,
) -> Result<Vec<MergeInput>> {
    let tasks = task::Entity::find()
        .filter(task::Column::CaseId.eq(case_id))
        .filter(task::Column::Status.is_in([TaskStatus::Resolved, TaskStatus::AwaitingSupplement]))
        .order_by_asc(task::Column::Id)
        .all(txn)
        .await?;
    let opinion_ids: Vec<Uuid> = tasks.iter().filter_map(|t| t.opinion_id).collect();
    let opinions: HashMap<Uuid, opinion::Model> = opinion::Entity::find()
        .filter(opinion::Column::Id.is_in(opinion_ids))
        .all(txn)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let names: HashMap<Uuid, String> = department::Entity::find()
        .filter(department::Column::Id.is_in(tasks.iter().map(|t| t.department_id)))
        .all(txn)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    tasks
        .iter()
        .filter_map(|t| t.opinion_id.and_then(|id| opinions.get(&id)))
        .map(|o| {
            let conditions: Vec<String> = serde_json::from_value(o.conditions.clone())
                .map_err(|e| Error::Internal(format!("opinion {} conditions: {e}", o.id)))?;
            Ok(MergeInput {
                department_id: o.department_id,
                department_name: names.get(&o.department_id).cloned().unwrap_or_default(),
                kind: o.kind.into(),
                conditions,
                reason: o.reason.clone(),
                legal_basis: o.legal_basis.clone(),
            })
        })
        .collect()
}

impl Engine {
    /// Decides a case that is ready. An approval stops the clock and issues the decision; a
    /// denial is filed for signature and the case waits.
    ///
    /// # Errors
    /// `NOT_FOUND`; `FORBIDDEN` (not the lead window); `INVALID_STATE` (not ready, material
    /// missing, or a report pending); `INVALID_INPUT` (a missing reason or legal basis).
    pub async fn decide_case(
        &self,
        actor: &Actor,
        input: DecideCase,
    ) -> Result<crate::cases::CaseView> {
        let Verb {
            gate,
            txn,
            case,
            now,
        } = open_verb!(self.open_verb(
            actor,
            input.case_id,
            "decideCase",
            input.idempotency_key.as_deref(),
            |_, scope| { policy::require_lead_window(actor, scope, "decide it") }
        ));
        ensure_no_pending_report(&txn, case.id).await?;
        let opinions = merge_inputs(&txn, case.id).await?;
        let decision = lifecycle::decide(
            case.kind.into(),
            case.status.into(),
            &opinions,
            &input.draft,
        )?;
        if decision.outcome == DecisionOutcome::Denied {
            let draft = ReportDraft {
                outcome: NegativeOutcome::Denied,
                reason: decision.reason.clone().unwrap_or_default(),
                legal_basis: decision.legal_basis.clone().unwrap_or_default(),
                objections: &decision.objections,
            };
            file_report_in(&txn, actor, &case, draft, now).await?;
            return verb::close(actor, gate, txn, case).await;
        }
        let to = lifecycle::transition(case.kind.into(), case.status.into(), Action::Approve)?;
        if let Some(clock_id) = case.clock_id {
            self.stop_clock(&txn, clock_id, now).await?;
        }
        let before = case.status;
        let conditions = json!(decision.conditions);
        let mut active = case.into_active_model();
        active.decided_at = Set(Some(now));
        active.decision = Set(Some(DecisionOutcome::Approved));
        active.decision_reason = Set(decision.reason.clone());
        active.decision_conditions = Set(Some(conditions.clone()));
        let case = active.update(&txn).await?;
        let case = self.set_status(&txn, case, to, now).await?;
        let matter = self.matter_of(&txn, &case).await?;
        let text = notices::approval(
            &notice_context(self, &case, &matter, now),
            &decision.conditions,
        );
        let notice = self
            .issue_notice(&txn, &case, text, actor.staff_id, None, now)
            .await?;
        let mut log = vec![
            NewEvent::case(EventKind::CaseDecided, case.id, Some(actor.staff_id))
                .before(json!({ "status": before }))
                .after(json!({
                    "status": to,
                    "decision": DecisionOutcome::Approved,
                    "reason": decision.reason,
                    "conditions": conditions,
                    "overruledDepartmentIds": decision.objections.iter().map(|o| o.department_id).collect::<Vec<_>>(),
                })),
            NewEvent::case(EventKind::NoticeIssued, case.id, Some(actor.staff_id))
                .after(json!({ "noticeId": notice.id, "kind": NoticeKind::Decision })),
        ];
        for objection in &decision.objections {
            self.tell_overruled(
                &txn,
                &case,
                objection,
                decision.reason.as_deref().unwrap_or_default(),
                now,
            )
            .await?;
            log.push(
                NewEvent::case(EventKind::ObjectionOverruled, case.id, Some(actor.staff_id)).after(
                    json!({
                        "departmentId": objection.department_id,
                        "department": objection.department,
                        "objection": objection.reason,
                        "reason": decision.reason,
                    }),
                ),
            );
        }
        events::record(&txn, now, log).await?;
        verb::close(actor, gate, txn, case).await
    }

    /// Tells an overruled department in writing: its head(s) and the task's assignee.
    async fn tell_overruled<C: ConnectionTrait>(
        &self,
        txn: &C,
        case: &case::Model,
        objection: &lifecycle::Objection,
        reason: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<()> {
        let heads = staff::Entity::find()
            .filter(staff::Column::DepartmentId.eq(objection.department_id))
            .filter(staff::Column::Active.eq(true))
            .all(txn)
            .await?
            .into_iter()
            .filter(|s| crate::people::holds(s, Role::DeptHead));
        let assignees = task::Entity::find()
            .filter(task::Column::CaseId.eq(case.id))
            .filter(task::Column::DepartmentId.eq(objection.department_id))
            .all(txn)
            .await?
            .into_iter()
            .map(|t| t.assignee_id);
        let assignees = staff::Entity::find()
            .filter(staff::Column::Id.is_in(assignees))
            .all(txn)
            .await?;
        for person in heads.chain(assignees) {
            outbox::enqueue(
                txn,
                now,
                NewMessage {
                    message_id: format!(
                        "overruled-{}-{}-{}",
                        case.id, objection.department_id, person.id
                    ),
                    recipient_id: Some(person.id),
                    recipient_email: person.email.clone(),
                    mail: Mail::ObjectionOverruled(ObjectionOverruled {
                        case_id: case.id,
                        number: case.number.clone(),
                        department: objection.department.clone(),
                        objection: objection.reason.clone(),
                        reason: reason.to_owned(),
                    }),
                },
            )
            .await?;
        }
        Ok(())
    }
}
