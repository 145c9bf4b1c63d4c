//! The lead window's decisions and what follows: decide, sign reports, suspend and resume,
//! extend, report up, deliver, archive.

use crate::graphql::enums::{DecisionOutcome, LimitUnit, SpecialProcedure};
use crate::graphql::errors::Gql;
use crate::graphql::session::actor;
use crate::graphql::types::{Case, NegativeReport, engine, parse_id};
use async_graphql::{Context, ID, InputObject, Object};
use lianban_engine::cases::{
    DecideCase, DeliverResult, ExtendDeadline, RecordUpperAnswer, ReportUp, SignReport, SuspendCase,
};
use lianban_rules::cases::DecisionDraft;

/// Decisions and what follows them.
#[derive(Default)]
pub struct DecisionMutation;

/// The lead window's decision.
#[derive(InputObject)]
pub struct DecideCaseInput {
    case_id: ID,
    outcome: DecisionOutcome,
    /// Required to deny, and to approve over a department's REJECT.
    reason: Option<String>,
    /// Required to deny.
    legal_basis: Option<String>,
    idempotency_key: Option<String>,
}

/// The signer's answer to a negative report.
#[derive(InputObject)]
pub struct SignNegativeReportInput {
    report_id: ID,
    /// True to sign (the outcome takes effect); false to decline (the case goes on).
    sign: bool,
    /// Required when declining.
    comment: Option<String>,
}

/// Suspending a case for a special procedure.
#[derive(InputObject)]
pub struct SuspendCaseInput {
    case_id: ID,
    procedure: SpecialProcedure,
    reason: String,
    legal_basis: String,
    /// Expected length, in working days.
    expected_days: i32,
}

/// 延期.
#[derive(InputObject)]
pub struct ExtendDeadlineInput {
    case_id: ID,
    /// Working days: at most 10, 15 for a joint case.
    days: i32,
    reason: String,
    idempotency_key: Option<String>,
}

/// 上报.
#[derive(InputObject)]
pub struct ReportUpInput {
    case_id: ID,
    /// The upper authority (e.g. 省市场监督管理局).
    authority: String,
    /// Its limit, counted from acceptance.
    limit: i32,
    /// The unit of that limit: the case clock's own.
    unit: LimitUnit,
}

/// The upper authority's answer.
#[derive(InputObject)]
pub struct RecordUpperAnswerInput {
    case_id: ID,
    approved: bool,
    answer: String,
}

/// 送达.
#[derive(InputObject)]
pub struct DeliverResultInput {
    case_id: ID,
    /// 窗口领取, 邮寄, 电子送达, …
    method: String,
}

#[Object]
impl DecisionMutation {
    /// 决定 — APPROVED takes effect at once; DENIED is filed as a negative report and takes
    /// effect when signed.
    async fn decide_case(
        &self,
        ctx: &Context<'_>,
        input: DecideCaseInput,
    ) -> async_graphql::Result<Case> {
        let actor = actor(ctx).await?;
        let case_id = parse_id("caseId", &input.case_id)?;
        let case = engine(ctx)?
            .decide_case(
                actor,
                DecideCase {
                    case_id,
                    draft: DecisionDraft {
                        outcome: input.outcome.into(),
                        reason: input.reason,
                        legal_basis: input.legal_basis,
                    },
                    idempotency_key: input.idempotency_key,
                },
            )
            .await
            .gql()?;
        Ok(Case::from(case))
    }

    /// 否定报备签批 — signs (the outcome takes effect) or declines a pending report.
    async fn sign_negative_report(
        &self,
        ctx: &Context<'_>,
        input: SignNegativeReportInput,
    ) -> async_graphql::Result<NegativeReport> {
        let actor = actor(ctx).await?;
        let report = engine(ctx)?
            .sign_negative_report(
                actor,
                SignReport {
                    report_id: parse_id("reportId", &input.report_id)?,
                    sign: input.sign,
                    comment: input.comment,
                },
            )
            .await
            .gql()?;
        Ok(NegativeReport(report))
    }

    /// 中止 — suspends a case for a special procedure; its clocks stand still.
    async fn suspend_case(
        &self,
        ctx: &Context<'_>,
        input: SuspendCaseInput,
    ) -> async_graphql::Result<Case> {
        let actor = actor(ctx).await?;
        let case = engine(ctx)?
            .suspend_case(
                actor,
                SuspendCase {
                    case_id: parse_id("caseId", &input.case_id)?,
                    procedure: input.procedure.into(),
                    reason: input.reason,
                    legal_basis: input.legal_basis,
                    expected_days: input.expected_days,
                },
            )
            .await
            .gql()?;
        Ok(Case::from(case))
    }

    /// 恢复 — resumes a case suspended for a special procedure; every due time moves by the
    /// paused working time.
    async fn resume_case(&self, ctx: &Context<'_>, case_id: ID) -> async_graphql::Result<Case> {
        let actor = actor(ctx).await?;
        let case = engine(ctx)?
            .resume_case(actor, parse_id("caseId", &case_id)?)
            .await
            .gql()?;
        Ok(Case::from(case))
    }

    /// 延期 — once per case, by the lead department's head (a joint case: a centre leader).
    async fn extend_deadline(
        &self,
        ctx: &Context<'_>,
        input: ExtendDeadlineInput,
    ) -> async_graphql::Result<Case> {
        let actor = actor(ctx).await?;
        let case = engine(ctx)?
            .extend_deadline(
                actor,
                ExtendDeadline {
                    case_id: parse_id("caseId", &input.case_id)?,
                    days: input.days,
                    reason: input.reason,
                    idempotency_key: input.idempotency_key,
                },
            )
            .await
            .gql()?;
        Ok(Case::from(case))
    }

    /// 上报 — reports the case to the upper authority; its clock runs against that limit.
    async fn report_up(
        &self,
        ctx: &Context<'_>,
        input: ReportUpInput,
    ) -> async_graphql::Result<Case> {
        let actor = actor(ctx).await?;
        let case = engine(ctx)?
            .report_up(
                actor,
                ReportUp {
                    case_id: parse_id("caseId", &input.case_id)?,
                    authority: input.authority,
                    limit: i64::from(input.limit),
                    unit: input.unit.into(),
                },
            )
            .await
            .gql()?;
        Ok(Case::from(case))
    }

    /// Records the upper authority's answer as the decision.
    async fn record_upper_answer(
        &self,
        ctx: &Context<'_>,
        input: RecordUpperAnswerInput,
    ) -> async_graphql::Result<Case> {
        let actor = actor(ctx).await?;
        let case = engine(ctx)?
            .record_upper_answer(
                actor,
                RecordUpperAnswer {
                    case_id: parse_id("caseId", &input.case_id)?,
                    approved: input.approved,
                    answer: input.answer,
                },
            )
            .await
            .gql()?;
        Ok(Case::from(case))
    }

    /// 送达 — the result reached the applicant.
    async fn deliver_result(
        &self,
        ctx: &Context<'_>,
        input: DeliverResultInput,
    ) -> async_graphql::Result<Case> {
        let actor = actor(ctx).await?;
        let case = engine(ctx)?
            .deliver_result(
                actor,
                DeliverResult {
                    case_id: parse_id("caseId", &input.case_id)?,
                    method: input.method,
                },
            )
            .await
            .gql()?;
        Ok(Case::from(case))
    }

    /// 归档.
    async fn archive_case(&self, ctx: &Context<'_>, case_id: ID) -> async_graphql::Result<Case> {
        let actor = actor(ctx).await?;
        let case = engine(ctx)?
            .archive_case(actor, parse_id("caseId", &case_id)?)
            .await
            .gql()?;
        Ok(Case::from(case))
    }
}
