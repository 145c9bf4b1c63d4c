//! The window's intake: open, accept, answer, ask for material, record it, return or refuse,
//! withdraw.

use crate::graphql::errors::Gql;
use crate::graphql::session::actor;
use crate::graphql::types::{Case, engine, parse_id};
use async_graphql::{Context, ID, InputObject, Object};
use lianban_engine::cases::{Applicant, FileReport, IssueSupplement, OpenCase};
use lianban_rules::NegativeOutcome;

/// Intake at the window.
#[derive(Default)]
pub struct IntakeMutation;

/// The applicant of a new case.
#[derive(InputObject)]
pub struct ApplicantInput {
    name: String,
    /// 身份证号 or 统一社会信用代码.
    id_number: String,
    phone: String,
}

/// Opening a case at the window.
#[derive(InputObject)]
pub struct OpenCaseInput {
    /// The matter's catalogue code, e.g. `JOINT-001`.
    matter_code: String,
    applicant: ApplicantInput,
    /// 首问责任人, when somebody other than me first received the applicant.
    first_responder_id: Option<ID>,
    /// 当场受理 — accept at once, in the same transaction (the materials are complete).
    #[graphql(default)]
    accept_now: bool,
    /// Same key, same result: a retried request opens no second case.
    idempotency_key: Option<String>,
}

/// Answering a consultation.
#[derive(InputObject)]
pub struct AnswerCaseInput {
    case_id: ID,
    answer: String,
    idempotency_key: Option<String>,
}

/// The one-time supplement notice.
#[derive(InputObject)]
pub struct SupplementNoticeInput {
    case_id: ID,
    /// The window's own missing items; the departments' NEEDS_SUPPLEMENT items are added.
    #[graphql(default)]
    window_items: Vec<String>,
    /// The missing materials of the case's service guide version, by their number there
    /// (`Case.supplementChecklist`): the notice quotes the guide's names.
    #[graphql(default)]
    guide_items: Vec<i32>,
    /// For a second request: why its items depend on the applicant's first answer.
    reason: Option<String>,
    idempotency_key: Option<String>,
}

/// The applicant's material arrived.
#[derive(InputObject)]
pub struct ResubmitMaterialsInput {
    case_id: ID,
    note: Option<String>,
}

/// A return (退回) or non-acceptance (不予受理), filed for signature.
#[derive(InputObject)]
pub struct RefusalInput {
    case_id: ID,
    reason: String,
    legal_basis: String,
    idempotency_key: Option<String>,
}

/// The applicant withdraws.
#[derive(InputObject)]
pub struct WithdrawCaseInput {
    case_id: ID,
    reason: String,
}

impl IntakeMutation {
    async fn refusal(
        &self,
        ctx: &Context<'_>,
        input: RefusalInput,
        outcome: NegativeOutcome,
    ) -> async_graphql::Result<Case> {
        let actor = actor(ctx).await?;
        let case_id = parse_id("caseId", &input.case_id)?;
        let case = engine(ctx)?
            .file_report(
                actor,
                FileReport {
                    case_id,
                    outcome,
                    reason: input.reason,
                    legal_basis: input.legal_basis,
                    idempotency_key: input.idempotency_key,
                },
            )
            .await
            .gql()?;
        Ok(Case::from(case))
    }
}

#[Object]
impl IntakeMutation {
    /// 收件 — opens a case (status RECEIVED) and records its first responder.
    async fn open_case(
        &self,
        ctx: &Context<'_>,
        input: OpenCaseInput,
    ) -> async_graphql::Result<Case> {
        let actor = actor(ctx).await?;
        let first_responder_id = input
            .first_responder_id
            .as_ref()
            .map(|id| parse_id("firstResponderId", id))
            .transpose()?;
        let case = engine(ctx)?
            .open_case(
                actor,
                OpenCase {
                    matter_code: input.matter_code,
                    applicant: Applicant {
                        name: input.applicant.name,
                        id_number: input.applicant.id_number,
                        phone: input.applicant.phone,
                    },
                    first_responder_id,
                    accept_now: input.accept_now,
                    idempotency_key: input.idempotency_key,
                },
            )
            .await
            .gql()?;
        Ok(Case::from(case))
    }

    /// 受理 — starts the clock; a joint case fans out one task per co-handling department.
    async fn accept_case(&self, ctx: &Context<'_>, case_id: ID) -> async_graphql::Result<Case> {
        let actor = actor(ctx).await?;
        let case = engine(ctx)?
            .accept_case(actor, parse_id("caseId", &case_id)?)
            .await
            .gql()?;
        Ok(Case::from(case))
    }

    /// 咨询答复 — answers a consultation; the answer is a notice.
    async fn answer_case(
        &self,
        ctx: &Context<'_>,
        input: AnswerCaseInput,
    ) -> async_graphql::Result<Case> {
        let actor = actor(ctx).await?;
        let case_id = parse_id("caseId", &input.case_id)?;
        let case = engine(ctx)?
            .answer_case(
                actor,
                case_id,
                &input.answer,
                input.idempotency_key.as_deref(),
            )
            .await
            .gql()?;
        Ok(Case::from(case))
    }

    /// 一次性告知 — one notice with every missing item, each naming who asked; after acceptance
    /// the case and every open task clock stop until the material arrives.
    async fn issue_supplement_notice(
        &self,
        ctx: &Context<'_>,
        input: SupplementNoticeInput,
    ) -> async_graphql::Result<Case> {
        let actor = actor(ctx).await?;
        let case_id = parse_id("caseId", &input.case_id)?;
        let case = engine(ctx)?
            .issue_supplement_notice(
                actor,
                IssueSupplement {
                    case_id,
                    window_items: input.window_items,
                    guide_items: input.guide_items,
                    reason: input.reason,
                    idempotency_key: input.idempotency_key,
                },
            )
            .await
            .gql()?;
        Ok(Case::from(case))
    }

    /// 补正 — the applicant's material arrived; the clocks count again.
    async fn resubmit_materials(
        &self,
        ctx: &Context<'_>,
        input: ResubmitMaterialsInput,
    ) -> async_graphql::Result<Case> {
        let actor = actor(ctx).await?;
        let case_id = parse_id("caseId", &input.case_id)?;
        let case = engine(ctx)?
            .resubmit_materials(actor, case_id, input.note)
            .await
            .gql()?;
        Ok(Case::from(case))
    }

    /// 退回 — files a return for signature; it takes effect when signed.
    async fn return_case(
        &self,
        ctx: &Context<'_>,
        input: RefusalInput,
    ) -> async_graphql::Result<Case> {
        self.refusal(ctx, input, NegativeOutcome::Returned).await
    }

    /// 不予受理 — files a non-acceptance for signature; it takes effect when signed.
    async fn refuse_case(
        &self,
        ctx: &Context<'_>,
        input: RefusalInput,
    ) -> async_graphql::Result<Case> {
        self.refusal(ctx, input, NegativeOutcome::NotAccepted).await
    }

    /// 撤回 — the applicant withdraws; every open task is cancelled.
    async fn withdraw_case(
        &self,
        ctx: &Context<'_>,
        input: WithdrawCaseInput,
    ) -> async_graphql::Result<Case> {
        let actor = actor(ctx).await?;
        let case_id = parse_id("caseId", &input.case_id)?;
        let case = engine(ctx)?
            .withdraw_case(actor, case_id, &input.reason)
            .await
            .gql()?;
        Ok(Case::from(case))
    }
}
