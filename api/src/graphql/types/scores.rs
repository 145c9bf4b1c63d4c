//! 好差评 and 考核: an evaluation, the scoring rule table, score entries with their causes, and
//! the monthly or yearly report.

use super::{
    Case, Department, Staff, SupervisionItem, case_link, department_link, engine, staff_link,
};
use crate::graphql::enums::{EvaluationChannel, EvaluationGrade};
use crate::graphql::errors::Gql;
use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use lianban_engine::scoring;
use lianban_engine::views::{EvaluationView, ScoreEntryView, ScoringRuleView};

/// 好差评 — the applicant's evaluation of a case.
pub struct Evaluation(pub EvaluationView);

#[Object]
impl Evaluation {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn grade(&self) -> EvaluationGrade {
        self.0.grade.into()
    }

    /// The grade as the applicant saw it (非常满意 … 非常不满意).
    async fn grade_label(&self) -> &'static str {
        self.0.grade.label()
    }

    /// 不满意 and 非常不满意.
    async fn is_bad(&self) -> bool {
        self.0.grade.is_bad()
    }

    async fn channel(&self) -> EvaluationChannel {
        self.0.channel.into()
    }

    async fn comment(&self) -> Option<&str> {
        self.0.comment.as_deref()
    }

    async fn evaluated_at(&self) -> DateTime<Utc> {
        self.0.evaluated_at
    }

    /// The rectification item (整改) a bad review opened.
    async fn rectification(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<SupervisionItem>> {
        let Some(id) = self.0.rectification_id else {
            return Ok(None);
        };
        Ok(engine(ctx)?
            .supervision_item_by_id(id)
            .await
            .gql()?
            .map(SupervisionItem))
    }
}

/// One line of the scoring rule table.
pub struct ScoringRule(pub ScoringRuleView);

#[Object]
impl ScoringRule {
    /// `CASE_OVERDUE`, `COMPLAINT_LATE_DAY`, `COMPLAINT_ATTITUDE`, `UNSATISFIED_RESULT`,
    /// `MATTER_MADE_IMMEDIATE`, `LIMIT_SHORTENED`, `WRITTEN_THANKS`.
    async fn code(&self) -> &str {
        &self.0.code
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Points per occurrence (negative for a deduction).
    async fn points(&self) -> i32 {
        self.0.points
    }

    async fn updated_at(&self) -> Option<DateTime<Utc>> {
        self.0.updated_at
    }
}

/// 考核记分 — one score entry and its cause.
pub struct ScoreEntry(pub ScoreEntryView);

#[Object]
impl ScoreEntry {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn rule_code(&self) -> &str {
        &self.0.rule_code
    }

    /// The points given (the rule's points then, times the working days late for a late reply).
    async fn points(&self) -> i32 {
        self.0.points
    }

    async fn department(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Department>> {
        department_link(ctx, self.0.department_id).await
    }

    async fn staff(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Staff>> {
        staff_link(ctx, self.0.staff_id).await
    }

    /// The event that caused it (`ESCALATED` for a deadline passed, `TASK_DEEMED_APPROVED`,
    /// `COMPLAINT_REPLIED`, `COMPLAINT_VERIFIED`, `CASE_EVALUATED`), or `MANUAL`.
    async fn cause_kind(&self) -> &str {
        &self.0.cause_kind
    }

    /// Why, in words.
    async fn reason(&self) -> &str {
        &self.0.reason
    }

    /// The case it is about, as the reader may see it.
    async fn case(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Case>> {
        case_link(ctx, self.0.case_id).await
    }

    async fn task_id(&self) -> Option<ID> {
        self.0.task_id.map(|id| ID(id.to_string()))
    }

    async fn complaint_id(&self) -> Option<ID> {
        self.0.complaint_id.map(|id| ID(id.to_string()))
    }

    async fn evaluation_id(&self) -> Option<ID> {
        self.0.evaluation_id.map(|id| ID(id.to_string()))
    }

    /// Who wrote a manual entry.
    async fn recorded_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Staff>> {
        staff_link(ctx, self.0.recorded_by).await
    }

    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
}

/// How often and how many points one rule gave.
#[derive(SimpleObject)]
pub struct RuleCount {
    rule_code: String,
    count: i64,
    points: i64,
}

impl From<scoring::RuleCount> for RuleCount {
    fn from(r: scoring::RuleCount) -> Self {
        RuleCount {
            rule_code: r.rule_code,
            count: r.count,
            points: r.points,
        }
    }
}

/// A department's line of a report.
pub struct DepartmentScore(pub scoring::DepartmentScore);

#[Object]
impl DepartmentScore {
    async fn department(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Department>> {
        department_link(ctx, self.0.department_id).await
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Net points (deductions negative).
    async fn points(&self) -> i64 {
        self.0.points
    }

    async fn entries(&self) -> i64 {
        self.0.entries
    }

    async fn by_rule(&self) -> Vec<RuleCount> {
        self.0.by_rule.iter().cloned().map(Into::into).collect()
    }
}

/// A staff member's line of a report.
pub struct StaffScore(pub scoring::StaffScore);

#[Object]
impl StaffScore {
    async fn staff(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Staff>> {
        staff_link(ctx, Some(self.0.staff_id)).await
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn points(&self) -> i64 {
        self.0.points
    }

    async fn entries(&self) -> i64 {
        self.0.entries
    }

    async fn overdue_cases_this_year(&self) -> i64 {
        self.0.overdue_cases_this_year
    }

    async fn verified_complaints_this_year(&self) -> i64 {
        self.0.verified_complaints_this_year
    }

    /// SPEC §7: 3 or more overdue cases in the year, or two verified complaints within 22
    /// working days.
    async fn ineligible_for_award(&self) -> bool {
        self.0.ineligible_for_award
    }

    /// Why, in words.
    async fn ineligibility_reasons(&self) -> &[String] {
        &self.0.reasons
    }
}

/// A monthly or yearly score report.
pub struct ScoreReport(pub scoring::ScoreReport);

#[Object]
impl ScoreReport {
    async fn year(&self) -> i32 {
        self.0.year
    }

    /// Empty for a yearly report.
    async fn month(&self) -> Option<u32> {
        self.0.month
    }

    async fn from(&self) -> DateTime<Utc> {
        self.0.from
    }

    async fn to(&self) -> DateTime<Utc> {
        self.0.to
    }

    async fn departments(&self) -> Vec<DepartmentScore> {
        self.0
            .departments
            .iter()
            .cloned()
            .map(DepartmentScore)
            .collect()
    }

    async fn staff(&self) -> Vec<StaffScore> {
        self.0.staff.iter().cloned().map(StaffScore).collect()
    }
}
