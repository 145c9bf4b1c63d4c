//! 好差评 and 考核: the applicant's evaluation, the centre's finding on a complaint, the scoring
//! rule table, and manual score entries.

use crate::graphql::enums::{ComplaintCategory, EvaluationChannel, EvaluationGrade};
use crate::graphql::errors::Gql;
use crate::graphql::session::{actor, optional_actor};
use crate::graphql::types::{Complaint, Evaluation, ScoreEntry, ScoringRule, engine, parse_id};
use async_graphql::{Context, ID, InputObject, Object};
use lianban_engine::evaluations::EvaluateCase;
use lianban_engine::scoring::RecordScore;

/// Evaluations and scoring.
#[derive(Default)]
pub struct AccountabilityMutation;

/// The applicant's evaluation.
#[derive(InputObject)]
pub struct EvaluateCaseInput {
    /// 办件编号, as on the notices.
    case_number: String,
    grade: EvaluationGrade,
    /// `WINDOW_DEVICE` in the lead window's session; `LINK` with the code, no sign-in.
    channel: EvaluationChannel,
    /// The evaluation code printed on the decision notice (`LINK`).
    code: Option<String>,
    comment: Option<String>,
}

/// A manual score entry.
#[derive(InputObject)]
pub struct RecordScoreInput {
    department_id: ID,
    staff_id: Option<ID>,
    /// E.g. `WRITTEN_THANKS`.
    rule_code: String,
    /// Required: why.
    reason: String,
    idempotency_key: Option<String>,
}

#[Object]
impl AccountabilityMutation {
    /// 好差评 — the applicant grades a decided case, once: on the lead window's evaluation
    /// device (signed in as that window) or through the decision notice's link (with its code,
    /// no sign-in). A bad review opens a rectification item due in 15 working days.
    async fn evaluate_case(
        &self,
        ctx: &Context<'_>,
        input: EvaluateCaseInput,
    ) -> async_graphql::Result<Evaluation> {
        let actor = optional_actor(ctx).await?;
        let input = EvaluateCase {
            case_number: input.case_number,
            grade: input.grade.into(),
            channel: input.channel.into(),
            code: input.code,
            comment: input.comment,
        };
        Ok(Evaluation(
            engine(ctx)?.evaluate_case(actor, input).await.gql()?,
        ))
    }

    /// 投诉核实 — the centre admin or a supervisor finds a complaint verified (about attitude,
    /// the result, or other) or not upheld; verified attitude and result complaints are scored.
    async fn verify_complaint(
        &self,
        ctx: &Context<'_>,
        id: ID,
        verified: bool,
        category: ComplaintCategory,
    ) -> async_graphql::Result<Complaint> {
        let actor = actor(ctx).await?;
        let id = parse_id("id", &id)?;
        Ok(Complaint(
            engine(ctx)?
                .verify_complaint(actor, id, verified, category.into())
                .await
                .gql()?,
        ))
    }

    /// Changes a scoring rule's points (centre admin); entries already written keep theirs.
    async fn set_scoring_rule(
        &self,
        ctx: &Context<'_>,
        code: String,
        points: i32,
    ) -> async_graphql::Result<ScoringRule> {
        let actor = actor(ctx).await?;
        Ok(ScoringRule(
            engine(ctx)?
                .set_scoring_rule(actor, &code, points)
                .await
                .gql()?,
        ))
    }

    /// A manual score entry with its reason (centre admin): a written thanks, for instance.
    async fn record_score(
        &self,
        ctx: &Context<'_>,
        input: RecordScoreInput,
    ) -> async_graphql::Result<ScoreEntry> {
        let actor = actor(ctx).await?;
        let input = RecordScore {
            department_id: parse_id("departmentId", &input.department_id)?,
            staff_id: input
                .staff_id
                .as_ref()
                .map(|id| parse_id("staffId", id))
                .transpose()?,
            rule_code: input.rule_code,
            reason: input.reason,
            idempotency_key: input.idempotency_key,
        };
        Ok(ScoreEntry(
            engine(ctx)?.record_score(actor, input).await.gql()?,
        ))
    }
}
