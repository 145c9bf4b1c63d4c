//! 投诉 — a complaint as its reader may see it.

use super::{Case, Department, Staff, case_link, department_link, staff_link};
use crate::graphql::enums::{
    ComplaintCategory, ComplaintChannel, ComplaintStatus, ComplaintTarget,
};
use crate::graphql::session::actor;
use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use lianban_engine::views::ComplaintView;
use lianban_rules::complaints::sees_complainant;

/// 投诉.
pub struct Complaint(pub ComplaintView);

/// Who complained.
#[derive(SimpleObject)]
pub struct Complainant {
    name: String,
    phone: Option<String>,
}

#[Object]
impl Complaint {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn target(&self) -> ComplaintTarget {
        self.0.target.into()
    }

    async fn channel(&self) -> ComplaintChannel {
        self.0.channel.into()
    }

    async fn status(&self) -> ComplaintStatus {
        self.0.status.into()
    }

    /// The department that answers for it.
    async fn department(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Department>> {
        department_link(ctx, self.0.department_id).await
    }

    /// The staff member complained about.
    async fn staff(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Staff>> {
        staff_link(ctx, self.0.staff_id).await
    }

    /// The case it concerns, as the reader may see it.
    async fn case(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Case>> {
        case_link(ctx, self.0.case_id).await
    }

    /// Who complained: only the centre admin and supervisors see it; `null` for everybody else.
    async fn complainant(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Complainant>> {
        let actor = actor(ctx).await?;
        Ok(sees_complainant(actor).then(|| Complainant {
            name: self.0.complainant_name.clone(),
            phone: self.0.complainant_phone.clone(),
        }))
    }

    async fn content(&self) -> &str {
        &self.0.content
    }

    async fn filed_at(&self) -> DateTime<Utc> {
        self.0.filed_at
    }

    /// Five working days after filing.
    async fn reply_due_at(&self) -> DateTime<Utc> {
        self.0.reply_due_at
    }

    async fn reply(&self) -> Option<&str> {
        self.0.reply.as_deref()
    }

    async fn replied_at(&self) -> Option<DateTime<Utc>> {
        self.0.replied_at
    }

    /// Working days the reply came after its deadline (0 when on time; `null` until replied).
    async fn late_working_days(&self) -> Option<i32> {
        self.0.late_working_days
    }

    /// The centre's finding: `true` verified, `false` not upheld, `null` not examined yet.
    async fn verified(&self) -> Option<bool> {
        self.0.verified
    }

    /// What the centre found it was about.
    async fn category(&self) -> Option<ComplaintCategory> {
        self.0.category.map(|v| v.into())
    }

    async fn verified_at(&self) -> Option<DateTime<Utc>> {
        self.0.verified_at
    }
}
