//! The supervision verbs (督办): open, assign, chase, answer, archive.

use crate::graphql::errors::Gql;
use crate::graphql::session::actor;
use crate::graphql::types::{SupervisionItem, engine, parse_id};
use async_graphql::{Context, ID, InputObject, Object};
use lianban_engine::supervision::OpenSupervision;

/// Supervision of departments by leadership.
#[derive(Default)]
pub struct SupervisionMutation;

/// A supervision item opened by hand.
#[derive(InputObject)]
pub struct OpenSupervisionInput {
    department_id: ID,
    /// The case it is about, if any.
    case_id: Option<ID>,
    title: String,
    detail: String,
    idempotency_key: Option<String>,
}

#[Object]
impl SupervisionMutation {
    /// 立项 — opens a supervision item for a department (supervisor or leader).
    async fn open_supervision(
        &self,
        ctx: &Context<'_>,
        input: OpenSupervisionInput,
    ) -> async_graphql::Result<SupervisionItem> {
        let actor = actor(ctx).await?;
        let open = OpenSupervision {
            department_id: parse_id("departmentId", &input.department_id)?,
            case_id: input
                .case_id
                .as_ref()
                .map(|id| parse_id("caseId", id))
                .transpose()?,
            title: input.title,
            detail: input.detail,
            idempotency_key: input.idempotency_key,
        };
        Ok(SupervisionItem(
            engine(ctx)?.open_supervision(actor, open).await.gql()?,
        ))
    }

    /// 承办 — names who answers for the department and gives them `replyWithinDays` working
    /// days (default 5).
    async fn assign_supervision(
        &self,
        ctx: &Context<'_>,
        id: ID,
        assignee_id: ID,
        reply_within_days: Option<u32>,
    ) -> async_graphql::Result<SupervisionItem> {
        let actor = actor(ctx).await?;
        let id = parse_id("id", &id)?;
        let assignee = parse_id("assigneeId", &assignee_id)?;
        Ok(SupervisionItem(
            engine(ctx)?
                .assign_supervision(actor, id, assignee, reply_within_days)
                .await
                .gql()?,
        ))
    }

    /// 督办 — chases the assignee; they and the department's heads get a mail.
    async fn chase_supervision(
        &self,
        ctx: &Context<'_>,
        id: ID,
        note: String,
        idempotency_key: Option<String>,
    ) -> async_graphql::Result<SupervisionItem> {
        let actor = actor(ctx).await?;
        let id = parse_id("id", &id)?;
        Ok(SupervisionItem(
            engine(ctx)?
                .chase_supervision(actor, id, &note, idempotency_key.as_deref())
                .await
                .gql()?,
        ))
    }

    /// 反馈 — the department's answer (the assignee or its head).
    async fn answer_supervision(
        &self,
        ctx: &Context<'_>,
        id: ID,
        answer: String,
    ) -> async_graphql::Result<SupervisionItem> {
        let actor = actor(ctx).await?;
        let id = parse_id("id", &id)?;
        Ok(SupervisionItem(
            engine(ctx)?
                .answer_supervision(actor, id, &answer)
                .await
                .gql()?,
        ))
    }

    /// 归档 — closes an answered item.
    async fn archive_supervision(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<SupervisionItem> {
        let actor = actor(ctx).await?;
        let id = parse_id("id", &id)?;
        Ok(SupervisionItem(
            engine(ctx)?.archive_supervision(actor, id).await.gql()?,
        ))
    }
}
