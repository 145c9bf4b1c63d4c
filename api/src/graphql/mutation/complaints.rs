//! 投诉: taking a complaint down and the department's reply.

use crate::graphql::enums::{ComplaintChannel, ComplaintTarget};
use crate::graphql::errors::Gql;
use crate::graphql::session::actor;
use crate::graphql::types::{Complaint, engine, parse_id};
use async_graphql::{Context, ID, InputObject, Object};
use lianban_engine::complaints::FileComplaint;

/// Complaints.
#[derive(Default)]
pub struct ComplaintMutation;

/// A complaint as the window takes it down.
#[derive(InputObject)]
pub struct FileComplaintInput {
    target: ComplaintTarget,
    /// Required against a staff member.
    staff_id: Option<ID>,
    /// Required against a department.
    department_id: Option<ID>,
    /// Required against a case; context otherwise.
    case_id: Option<ID>,
    channel: ComplaintChannel,
    complainant_name: String,
    complainant_phone: Option<String>,
    content: String,
    idempotency_key: Option<String>,
}

fn optional_id(field: &str, id: Option<&ID>) -> async_graphql::Result<Option<uuid::Uuid>> {
    id.map(|id| parse_id(field, id)).transpose()
}

#[Object]
impl ComplaintMutation {
    /// 投诉登记 — takes a complaint down (window, centre admin, supervisor, leader); the reply is
    /// due in five working days.
    async fn file_complaint(
        &self,
        ctx: &Context<'_>,
        input: FileComplaintInput,
    ) -> async_graphql::Result<Complaint> {
        let actor = actor(ctx).await?;
        let file = FileComplaint {
            target: input.target.into(),
            staff_id: optional_id("staffId", input.staff_id.as_ref())?,
            department_id: optional_id("departmentId", input.department_id.as_ref())?,
            case_id: optional_id("caseId", input.case_id.as_ref())?,
            channel: input.channel.into(),
            complainant_name: input.complainant_name,
            complainant_phone: input.complainant_phone,
            content: input.content,
            idempotency_key: input.idempotency_key,
        };
        Ok(Complaint(
            engine(ctx)?.file_complaint(actor, file).await.gql()?,
        ))
    }

    /// 投诉答复 — the department's reply (its head, the centre admin or a supervisor).
    async fn reply_complaint(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reply: String,
    ) -> async_graphql::Result<Complaint> {
        let actor = actor(ctx).await?;
        let id = parse_id("id", &id)?;
        Ok(Complaint(
            engine(ctx)?
                .reply_complaint(actor, id, &reply)
                .await
                .gql()?,
        ))
    }
}
