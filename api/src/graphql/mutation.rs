//! Mutations: `login`, `openCase`, `acceptCase`, `submitOpinion`, `decideCase`.

use crate::graphql::enums::{DecisionOutcome, OpinionKind, SpecialProcedure};
use crate::graphql::errors::Gql;
use crate::graphql::session::actor;
use crate::graphql::types::{Case, Opinion, SavedCalendarYear, Staff, engine, parse_id};
use crate::token::Tokens;
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use lianban_engine::calendar::YearText;
use lianban_engine::calendar::schedule::DayText;
use lianban_engine::cases::{Applicant, DecideCase, OpenCase, SubmitOpinion, SuspendCase};
use lianban_engine::lifecycle::{DecisionDraft, OpinionDraft};

/// The root of every change.
pub struct MutationRoot;

/// A signed-in session.
#[derive(SimpleObject)]
pub struct LoginPayload {
    /// Send as `Authorization: Bearer <token>`.
    token: String,
    expires_at: DateTime<Utc>,
    me: Staff,
}

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
    /// Same key, same result: a retried request opens no second case.
    idempotency_key: Option<String>,
}

/// A department's opinion on its task.
#[derive(InputObject)]
pub struct SubmitOpinionInput {
    task_id: ID,
    kind: OpinionKind,
    /// Required for APPROVE_WITH_CONDITIONS.
    #[graphql(default)]
    conditions: Vec<String>,
    /// Required for REJECT.
    reason: Option<String>,
    /// Required for REJECT.
    legal_basis: Option<String>,
    idempotency_key: Option<String>,
}

/// The lead window's decision.
#[derive(InputObject)]
pub struct DecideCaseInput {
    case_id: ID,
    outcome: DecisionOutcome,
    /// Required when approving over a department's REJECT.
    reason: Option<String>,
}

/// A day of a year's schedule.
#[derive(InputObject)]
pub struct CalendarDayInput {
    /// `YYYY-MM-DD`.
    date: String,
    /// The holiday it belongs to (元旦, 春节, …).
    name: String,
}

/// A year's published holiday schedule (国务院办公厅关于部分节假日安排的通知).
#[derive(InputObject)]
pub struct CalendarYearInput {
    year: i32,
    /// Where it comes from: the notice's title or address.
    source: String,
    /// Every day off, including weekend days inside a holiday period.
    holidays: Vec<CalendarDayInput>,
    /// Make-up working days (调休补班): weekend days worked.
    make_up_days: Vec<CalendarDayInput>,
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

fn days(list: Vec<CalendarDayInput>) -> Vec<DayText> {
    list.into_iter()
        .map(|d| DayText {
            date: d.date,
            name: d.name,
        })
        .collect()
}

#[Object]
impl MutationRoot {
    /// Signs in; returns a token for the `Authorization: Bearer` header.
    async fn login(
        &self,
        ctx: &Context<'_>,
        username: String,
        password: String,
    ) -> async_graphql::Result<LoginPayload> {
        let engine = engine(ctx)?;
        let staff = engine.login(&username, &password).await.gql()?;
        let (token, expires_at) = ctx.data::<Tokens>()?.issue(staff.id, engine.now()).gql()?;
        Ok(LoginPayload {
            token,
            expires_at,
            me: Staff(staff),
        })
    }

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
        let engine = engine(ctx)?;
        let case = engine
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
                    idempotency_key: input.idempotency_key,
                },
            )
            .await
            .gql()?;
        Ok(Case::from(engine.case_view(actor, case.id).await.gql()?))
    }

    /// 受理 — starts the clock; a joint case fans out one task per co-handling department.
    async fn accept_case(&self, ctx: &Context<'_>, case_id: ID) -> async_graphql::Result<Case> {
        let actor = actor(ctx).await?;
        let case_id = parse_id("caseId", &case_id)?;
        let engine = engine(ctx)?;
        let case = engine.accept_case(actor, case_id).await.gql()?;
        Ok(Case::from(engine.case_view(actor, case.id).await.gql()?))
    }

    /// A department's opinion on its task; the last one moves the case to AWAITING_DECISION.
    async fn submit_opinion(
        &self,
        ctx: &Context<'_>,
        input: SubmitOpinionInput,
    ) -> async_graphql::Result<Opinion> {
        let actor = actor(ctx).await?;
        let task_id = parse_id("taskId", &input.task_id)?;
        let opinion = engine(ctx)?
            .submit_opinion(
                actor,
                SubmitOpinion {
                    task_id,
                    draft: OpinionDraft {
                        kind: Some(input.kind.into()),
                        conditions: input.conditions,
                        reason: input.reason,
                        legal_basis: input.legal_basis,
                    },
                    idempotency_key: input.idempotency_key,
                },
            )
            .await
            .gql()?;
        Ok(Opinion(opinion))
    }

    /// 日历 — saves a new version of a year's holiday schedule (centre admin); every open clock
    /// is recomputed.
    async fn set_calendar_year(
        &self,
        ctx: &Context<'_>,
        input: CalendarYearInput,
    ) -> async_graphql::Result<SavedCalendarYear> {
        let actor = actor(ctx).await?;
        let text = YearText {
            year: input.year,
            source: input.source,
            holidays: days(input.holidays),
            make_up_days: days(input.make_up_days),
        };
        Ok(engine(ctx)?
            .set_calendar_year(actor, text)
            .await
            .gql()?
            .into())
    }

    /// 中止 — suspends a case for a special procedure; its clocks stand still.
    async fn suspend_case(
        &self,
        ctx: &Context<'_>,
        input: SuspendCaseInput,
    ) -> async_graphql::Result<Case> {
        let actor = actor(ctx).await?;
        let case_id = parse_id("caseId", &input.case_id)?;
        let engine = engine(ctx)?;
        let case = engine
            .suspend_case(
                actor,
                SuspendCase {
                    case_id,
                    procedure: input.procedure.into(),
                    reason: input.reason,
                    legal_basis: input.legal_basis,
                    expected_days: input.expected_days,
                },
            )
            .await
            .gql()?;
        Ok(Case::from(engine.case_view(actor, case.id).await.gql()?))
    }

    /// 恢复 — resumes a suspended case; every due time moves by the paused working time.
    async fn resume_case(&self, ctx: &Context<'_>, case_id: ID) -> async_graphql::Result<Case> {
        let actor = actor(ctx).await?;
        let case_id = parse_id("caseId", &case_id)?;
        let engine = engine(ctx)?;
        let case = engine.resume_case(actor, case_id).await.gql()?;
        Ok(Case::from(engine.case_view(actor, case.id).await.gql()?))
    }

    /// 决定 — the lead window decides a case whose reviews are complete.
    async fn decide_case(
        &self,
        ctx: &Context<'_>,
        input: DecideCaseInput,
    ) -> async_graphql::Result<Case> {
        let actor = actor(ctx).await?;
        let case_id = parse_id("caseId", &input.case_id)?;
        let engine = engine(ctx)?;
        let case = engine
            .decide_case(
                actor,
                DecideCase {
                    case_id,
                    draft: DecisionDraft {
                        outcome: input.outcome.into(),
                        reason: input.reason,
                    },
                },
            )
            .await
            .gql()?;
        Ok(Case::from(engine.case_view(actor, case.id).await.gql()?))
    }
}
