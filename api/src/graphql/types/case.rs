//! Cases.

use super::clock::{self, Clock, Pause, Remaining};
use super::services::{ChecklistItem, ServiceGuide};
use super::{
    Department, Event, Extension, Matter, NegativeReport, Notice, Opinion, Staff, Suspension, Task,
    department_link, engine, staff_link,
};
use crate::graphql::enums::{CaseKind, CaseStatus, DecisionOutcome, Light, UrgentCategory};
use crate::graphql::errors::Gql;
use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use lianban_engine::cases::CaseView;
use lianban_rules::cases::AttributedCondition;
use tokio::sync::OnceCell;

/// 办件
pub struct Case {
    view: CaseView,
    clock: OnceCell<Option<Clock>>,
}

impl From<CaseView> for Case {
    fn from(view: CaseView) -> Self {
        Case {
            view,
            clock: OnceCell::new(),
        }
    }
}

impl Case {
    async fn clock_ref(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<&Clock>> {
        let written = self.view.written.as_ref().and_then(|w| {
            self.view
                .case
                .clock_id
                .and_then(|id| w.clocks.get(&id).cloned())
        });
        clock::cached_or(ctx, &self.clock, self.view.case.clock_id, written).await
    }
}

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
        ID(self.view.case.id.to_string())
    }

    /// 办件编号, e.g. `LB-20261123-000042`.
    async fn number(&self) -> &str {
        &self.view.case.number
    }

    async fn kind(&self) -> CaseKind {
        self.view.case.kind.into()
    }

    async fn status(&self) -> CaseStatus {
        self.view.case.status.into()
    }

    async fn matter(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Matter>> {
        super::matter_link(ctx, self.view.case.matter_id).await
    }

    async fn applicant(&self) -> Applicant {
        Applicant {
            name: self.view.case.applicant_name.clone(),
            id_number: self.view.applicant_id_number(),
            phone: self.view.applicant_phone(),
        }
    }

    /// 好差评 — the applicant's evaluation, once given.
    async fn evaluation(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<super::Evaluation>> {
        Ok(engine(ctx)?
            .evaluation_of(self.view.case.id)
            .await
            .gql()?
            .map(super::Evaluation))
    }

    /// The code printed on the decision notice that lets the applicant evaluate by link; for
    /// the lead window only (it files the applicant's one review), null for everybody else.
    async fn evaluation_code(&self) -> Option<&str> {
        self.view
            .evaluation_code_visible
            .then_some(self.view.case.evaluation_code.as_deref())
            .flatten()
    }

    /// 首问责任人
    async fn first_responder(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Staff>> {
        staff_link(ctx, Some(self.view.case.first_responder_id)).await
    }

    /// The lead window staff member.
    async fn lead_staff(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Staff>> {
        staff_link(ctx, Some(self.view.case.lead_staff_id)).await
    }

    /// The lead window's department.
    async fn lead_department(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Department>> {
        department_link(ctx, self.view.case.lead_department_id).await
    }

    /// 急事急办 — marked urgent by the lead window: first in every queue and board.
    async fn urgent(&self) -> bool {
        self.view.case.urgent
    }

    async fn urgent_category(&self) -> Option<UrgentCategory> {
        self.view.case.urgent_category.map(|v| v.into())
    }

    async fn urgent_reason(&self) -> Option<&str> {
        self.view.case.urgent_reason.as_deref()
    }

    async fn urgent_at(&self) -> Option<DateTime<Utc>> {
        self.view.case.urgent_at
    }

    /// The service guide version it was received and accepted under.
    async fn guide_version(&self) -> Option<i32> {
        self.view.case.guide_version
    }

    /// That version of the guide (a later version does not change it).
    async fn service_guide(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<ServiceGuide>> {
        let Some(version) = self.view.case.guide_version else {
            return Ok(None);
        };
        Ok(engine(ctx)?
            .guide_version(self.view.case.matter_id, version)
            .await
            .gql()?
            .map(ServiceGuide))
    }

    /// 一次性告知 — the window's supplement list, prefilled from the case's guide version: each
    /// material, and which departments asked for it.
    async fn supplement_checklist(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<ChecklistItem>> {
        Ok(engine(ctx)?
            .supplement_checklist(&self.view)
            .await
            .gql()?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    async fn received_at(&self) -> DateTime<Utc> {
        self.view.case.received_at
    }

    /// 受理时间 — when the clock started.
    async fn accepted_at(&self) -> Option<DateTime<Utc>> {
        self.view.case.accepted_at
    }

    /// The case's statutory clock (empty before acceptance).
    async fn clock(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<&Clock>> {
        self.clock_ref(ctx).await
    }

    /// When the case's limit runs out (empty before acceptance).
    async fn due_at(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<DateTime<Utc>>> {
        Ok(self.clock_ref(ctx).await?.map(Clock::due_at))
    }

    /// Time left on the case's clock.
    async fn remaining(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Remaining>> {
        Ok(self.clock_ref(ctx).await?.map(Clock::remaining))
    }

    /// 红黄绿灯 of the case's clock.
    async fn light(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Light>> {
        Ok(self.clock_ref(ctx).await?.map(Clock::light))
    }

    /// True when the case's deadline assumes Monday–Friday for a year without a schedule.
    async fn provisional(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(self.clock_ref(ctx).await?.is_some_and(Clock::provisional))
    }

    /// Every pause of the case's clock (supplements, special procedures).
    async fn pauses(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Pause>> {
        Ok(self
            .clock_ref(ctx)
            .await?
            .map(Clock::pauses)
            .unwrap_or_default())
    }

    async fn decision(&self) -> async_graphql::Result<Option<Decision>> {
        let Some(outcome) = self.view.case.decision else {
            return Ok(None);
        };
        Ok(Some(Decision {
            outcome: outcome.into(),
            reason: self.view.case.decision_reason.clone(),
            conditions: self
                .view
                .case
                .decision_conditions
                .iter()
                .map(|c: &AttributedCondition| Condition {
                    department: c.department.clone(),
                    text: c.text.clone(),
                })
                .collect(),
            decided_at: self.view.case.decided_at,
        }))
    }

    /// 协办环节 — one per reviewing department.
    async fn tasks(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Task>> {
        // Answering the verb that made them: from what it wrote, its clocks and people too.
        if let (Some(tasks), Some(written)) = (self.view.written_tasks(), &self.view.written) {
            let loaders = super::loaders(ctx)?;
            loaders.clocks.feed_many(written.clocks.clone()).await;
            loaders.staff.feed_many(written.staff.clone()).await;
            return Ok(tasks.into_iter().map(Task::from).collect());
        }
        Ok(engine(ctx)?
            .case_tasks(&self.view)
            .await
            .gql()?
            .into_iter()
            .map(Task::from)
            .collect())
    }

    async fn opinions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Opinion>> {
        Ok(engine(ctx)?
            .case_opinions(&self.view)
            .await
            .gql()?
            .into_iter()
            .map(Opinion)
            .collect())
    }

    /// Every document the applicant received, with its full text.
    async fn notices(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Notice>> {
        Ok(engine(ctx)?
            .case_notices(&self.view)
            .await
            .gql()?
            .into_iter()
            .map(Notice)
            .collect())
    }

    /// The negative report waiting for its signature, if any.
    async fn pending_report(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<NegativeReport>> {
        Ok(engine(ctx)?
            .case_reports(&self.view)
            .await
            .gql()?
            .into_iter()
            .find(|r| r.status == lianban_rules::ReportStatus::Pending)
            .map(NegativeReport))
    }

    /// Every negative report, newest first.
    async fn reports(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<NegativeReport>> {
        Ok(engine(ctx)?
            .case_reports(&self.view)
            .await
            .gql()?
            .into_iter()
            .map(NegativeReport)
            .collect())
    }

    /// Every suspension (supplements and special procedures), in order.
    async fn suspensions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Suspension>> {
        Ok(engine(ctx)?
            .case_suspensions(&self.view)
            .await
            .gql()?
            .into_iter()
            .map(Suspension)
            .collect())
    }

    /// The case's one extension, if it had it.
    async fn extension(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Extension>> {
        let c = &self.view.case;
        let Some(days) = c.extension_days else {
            return Ok(None);
        };
        Ok(Some(Extension {
            days,
            reason: c.extension_reason.clone().unwrap_or_default(),
            approved_by: staff_link(ctx, c.extended_by).await?,
            extended_at: c.extended_at,
        }))
    }

    /// 上报件 — the upper authority it was reported to.
    async fn upper_authority(&self) -> Option<&str> {
        self.view.case.upper_authority.as_deref()
    }

    /// 送达 — when and how the result reached the applicant.
    async fn delivered_at(&self) -> Option<DateTime<Utc>> {
        self.view.case.delivered_at
    }

    async fn delivery_method(&self) -> Option<&str> {
        self.view.case.delivery_method.as_deref()
    }

    async fn archived_at(&self) -> Option<DateTime<Utc>> {
        self.view.case.archived_at
    }

    /// Every event of the case, in order.
    async fn timeline(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Event>> {
        Ok(engine(ctx)?
            .timeline(&self.view)
            .await
            .gql()?
            .into_iter()
            .map(Event)
            .collect())
    }
}
