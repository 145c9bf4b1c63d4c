//! 决定 — the lead window merges the departments' opinions into one decision.

use crate::cases::{lock_case, scope_of};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use crate::lifecycle::{self, DecisionDraft, MergeInput};
use crate::policy::{self, Actor};
use lianban_entity::{CaseStatus, TaskStatus, case, department, opinion, task};
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
}

/// The current opinions of a case's resolved tasks, in task order, ready to merge.
async fn merge_inputs<C: ConnectionTrait>(txn: &C, case_id: Uuid) -> Result<Vec<MergeInput>> {
    let tasks = task::Entity::find()
        .filter(task::Column::CaseId.eq(case_id))
        .filter(task::Column::Status.eq(TaskStatus::Resolved))
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
                kind: o.kind,
                conditions,
            })
        })
        .collect()
}

impl Engine {
    /// Decides a case that is ready: stops its clock and records the merged decision.
    ///
    /// # Errors
    /// `NOT_FOUND`; `FORBIDDEN` (not the lead window); `INVALID_STATE` (not ready);
    /// `INVALID_INPUT` (approving over a REJECT without a reason).
    pub async fn decide_case(&self, actor: &Actor, input: DecideCase) -> Result<case::Model> {
        let now = self.now();
        let txn = self.begin_write().await?;
        let case = lock_case(&txn, input.case_id).await?;
        policy::require_lead_window(actor, &scope_of(&txn, &case).await?, "decide it")?;
        let opinions = merge_inputs(&txn, case.id).await?;
        let decision = lifecycle::decide(case.kind, case.status, &opinions, &input.draft)?;
        if let Some(clock_id) = case.clock_id {
            self.stop_clock(&txn, clock_id, now).await?;
        }
        let before = case.status;
        let conditions = json!(decision.conditions);
        let mut active = case.into_active_model();
        active.status = Set(CaseStatus::Decided);
        active.decided_at = Set(Some(now));
        active.decision = Set(Some(decision.outcome));
        active.decision_reason = Set(decision.reason.clone());
        active.decision_conditions = Set(Some(conditions.clone()));
        active.updated_at = Set(now);
        let case = active.update(&txn).await?;
        events::record(
            &txn,
            now,
            vec![
                NewEvent::case(EventKind::CaseDecided, case.id, Some(actor.staff_id))
                    .before(json!({ "status": before }))
                    .after(json!({
                        "status": CaseStatus::Decided,
                        "decision": decision.outcome,
                        "reason": decision.reason,
                        "conditions": conditions,
                        "overruledDepartmentIds": decision.overruled,
                    })),
            ],
        )
        .await?;
        txn.commit().await?;
        Ok(case)
    }
}
