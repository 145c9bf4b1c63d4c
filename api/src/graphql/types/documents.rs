//! What a case accumulates: notices, negative reports, suspensions, its extension; and
//! absences.

use super::{Case, Staff, engine, staff_link};
use crate::graphql::enums::{
    CaseStatus, NegativeOutcome, NoticeKind, ReportStatus, SuspensionKind,
};
use crate::graphql::errors::Gql;
use crate::graphql::session::actor;
use async_graphql::{Context, ID, Json, Object, SimpleObject};
use chrono::{DateTime, Utc};
use lianban_engine::views::{AbsenceView, NegativeReportView, NoticeView, SuspensionView};

/// 通知书 — a document the applicant received, with its full text.
pub struct Notice(pub NoticeView);

#[Object]
impl Notice {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn kind(&self) -> NoticeKind {
        self.0.kind.into()
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    /// The full text, as the applicant received it.
    async fn body(&self) -> &str {
        &self.0.body
    }

    async fn issued_at(&self) -> DateTime<Utc> {
        self.0.issued_at
    }

    async fn issued_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Staff>> {
        staff_link(ctx, Some(self.0.issued_by)).await
    }

    /// Structured content: a supplement notice's items, each with who asked.
    async fn data(&self) -> Option<Json<serde_json::Value>> {
        self.0.data.clone().map(Json)
    }
}

/// 否定报备 — a denial, non-acceptance or return waiting for (or past) its signature.
pub struct NegativeReport(pub NegativeReportView);

#[Object]
impl NegativeReport {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn outcome(&self) -> NegativeOutcome {
        self.0.outcome.into()
    }

    async fn reason(&self) -> &str {
        &self.0.reason
    }

    async fn legal_basis(&self) -> &str {
        &self.0.legal_basis
    }

    /// The departments' objections it rests on: `[{department, reason, legalBasis}]`.
    async fn objections(&self) -> Json<serde_json::Value> {
        Json(self.0.objections.clone())
    }

    async fn status(&self) -> ReportStatus {
        self.0.status.into()
    }

    /// `DEPT_HEAD` (of the lead department) or `LEADER` (joint cases).
    async fn signer_role(&self) -> &str {
        &self.0.signer_role
    }

    async fn filed_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Staff>> {
        staff_link(ctx, Some(self.0.filed_by)).await
    }

    async fn filed_at(&self) -> DateTime<Utc> {
        self.0.filed_at
    }

    async fn decided_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Staff>> {
        staff_link(ctx, self.0.decided_by).await
    }

    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.0.decided_at
    }

    async fn comment(&self) -> Option<&str> {
        self.0.comment.as_deref()
    }

    async fn case(&self, ctx: &Context<'_>) -> async_graphql::Result<Case> {
        let actor = actor(ctx).await?;
        Ok(Case::from(
            engine(ctx)?.case_view(actor, self.0.case_id).await.gql()?,
        ))
    }
}

/// 中止 — a period the case's clocks stood still.
pub struct Suspension(pub SuspensionView);

#[Object]
impl Suspension {
    async fn kind(&self) -> SuspensionKind {
        self.0.kind.into()
    }

    async fn reason(&self) -> &str {
        &self.0.reason
    }

    async fn legal_basis(&self) -> Option<&str> {
        self.0.legal_basis.as_deref()
    }

    /// Expected length, in working days.
    async fn expected_days(&self) -> Option<i32> {
        self.0.expected_days
    }

    async fn started_at(&self) -> DateTime<Utc> {
        self.0.started_at
    }

    async fn ended_at(&self) -> Option<DateTime<Utc>> {
        self.0.ended_at
    }

    /// The status the case returns to.
    async fn previous_status(&self) -> CaseStatus {
        self.0.previous_status.into()
    }
}

/// 延期 — the one extension a case may have.
#[derive(SimpleObject)]
pub struct Extension {
    pub days: i32,
    pub reason: String,
    pub approved_by: Option<Staff>,
    pub extended_at: Option<DateTime<Utc>>,
}

/// 离岗 — a staff member away for a period.
pub struct Absence(pub AbsenceView);

#[Object]
impl Absence {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn staff(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Staff>> {
        staff_link(ctx, Some(self.0.staff_id)).await
    }

    async fn starts_at(&self) -> DateTime<Utc> {
        self.0.starts_at
    }

    async fn ends_at(&self) -> DateTime<Utc> {
        self.0.ends_at
    }

    async fn reason(&self) -> &str {
        &self.0.reason
    }
}
