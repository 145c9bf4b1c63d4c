//! Cases.

use super::{Department, Event, Matter, Opinion, Staff, Task, department_link, engine, staff_link};
use crate::graphql::enums::{CaseKind, CaseStatus, DecisionOutcome};
use crate::graphql::errors::Gql;
use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use lianban_engine::cases::CaseView;
use lianban_engine::lifecycle::AttributedCondition;

/// 办件
pub struct Case(pub CaseView);

/// The applicant; ID number and phone are masked for readers who do not handle the case.
#[derive(SimpleObject)]
pub struct Applicant {
    name: String,
    id_number: String,
    phone: String,
}

/// A condition of the decision, attributed to the department that set it.
#[derive(SimpleObject)]
pub struct Condition {
    department: String,
    text: String,
}

/// The decision on a case.
#[derive(SimpleObject)]
pub struct Decision {
    outcome: DecisionOutcome,
    reason: Option<String>,
    conditions: Vec<Condition>,
    decided_at: Option<DateTime<Utc>>,
}

#[Object]
impl Case {
    async fn id(&self) -> ID {
        ID(self.0.case.id.to_string())
    }

    /// 办件编号, e.g. `LB-20261123-000042`.
    async fn number(&self) -> &str {
        &self.0.case.number
    }

    async fn kind(&self) -> CaseKind {
        self.0.case.kind.into()
    }

    async fn status(&self) -> CaseStatus {
        self.0.case.status.into()
    }

    async fn matter(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Matter>> {
        Ok(engine(ctx)?
            .matter_by_id(self.0.case.matter_id)
            .await
            .gql()?
            .map(Matter))
    }

    async fn applicant(&self) -> Applicant {
        Applicant {
            name: self.0.case.applicant_name.clone(),
            id_number: self.0.applicant_id_number(),
            phone: self.0.applicant_phone(),
        }
    }

    /// 首问责任人
    async fn first_responder(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Staff>> {
        staff_link(ctx, Some(self.0.case.first_responder_id)).await
    }

    /// The lead window staff member.
    async fn lead_staff(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Staff>> {
        staff_link(ctx, Some(self.0.case.lead_staff_id)).await
    }

    /// The lead window's department.
    async fn lead_department(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Department>> {
        department_link(ctx, self.0.case.lead_department_id).await
    }

    async fn received_at(&self) -> DateTime<Utc> {
        self.0.case.received_at
    }

    /// 受理时间 — when the clock started.
    async fn accepted_at(&self) -> Option<DateTime<Utc>> {
        self.0.case.accepted_at
    }

    /// When the case's limit runs out (empty before acceptance).
    async fn due_at(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<DateTime<Utc>>> {
        let Some(clock_id) = self.0.case.clock_id else {
            return Ok(None);
        };
        Ok(engine(ctx)?
            .clock_by_id(clock_id)
            .await
            .gql()?
            .map(|c| c.due_at))
    }

    async fn decision(&self) -> async_graphql::Result<Option<Decision>> {
        let Some(outcome) = self.0.case.decision else {
            return Ok(None);
        };
        let conditions: Vec<AttributedCondition> = match &self.0.case.decision_conditions {
            Some(value) => serde_json::from_value(value.clone())
                .map_err(|e| lianban_engine::Error::Internal(format!("decision conditions: {e}")))
                .gql()?,
            None => Vec::new(),
        };
        Ok(Some(Decision {
            outcome: outcome.into(),
            reason: self.0.case.decision_reason.clone(),
            conditions: conditions
                .into_iter()
                .map(|c| Condition {
                    department: c.department,
                    text: c.text,
                })
                .collect(),
            decided_at: self.0.case.decided_at,
        }))
    }

    /// 协办环节 — one per reviewing department.
    async fn tasks(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Task>> {
        Ok(engine(ctx)?
            .case_tasks(&self.0)
            .await
            .gql()?
            .into_iter()
            .map(Task)
            .collect())
    }

    async fn opinions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Opinion>> {
        Ok(engine(ctx)?
            .case_opinions(&self.0)
            .await
            .gql()?
            .into_iter()
            .map(Opinion)
            .collect())
    }

    /// Every event of the case, in order.
    async fn timeline(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Event>> {
        Ok(engine(ctx)?
            .timeline(&self.0)
            .await
            .gql()?
            .into_iter()
            .map(Event)
            .collect())
    }
}
