//! Queries for leadership and scoring: the boards, the rule table, score entries and reports.

use crate::graphql::errors::Gql;
use crate::graphql::session::actor;
use crate::graphql::types::{
    DepartmentBoard, LeadershipBoard, ScoreEntry, ScoreReport, ScoringRule, engine, parse_id,
};
use async_graphql::{Context, ID, Object};

/// Boards and scores.
#[derive(Default)]
pub struct AccountabilityQuery;

#[Object]
impl AccountabilityQuery {
    /// 领导看板 — per department the open, yellow and red clocks, open supervision items and
    /// their ages, this month's on-time rate; a centre-wide line; the oldest overdue items
    /// (leaders, supervisors, the centre admin). Costs `BOARD_COST` of the complexity limit.
    #[graphql(complexity = "crate::graphql::BOARD_COST + child_complexity")]
    async fn leadership_board(&self, ctx: &Context<'_>) -> async_graphql::Result<LeadershipBoard> {
        let actor = actor(ctx).await?;
        Ok(LeadershipBoard(
            engine(ctx)?.leadership_board(actor).await.gql()?,
        ))
    }

    /// 部门看板 — the department's queue by light, who is away and who acts for them, its score
    /// this month (its own staff, and those who read everything). Costs `BOARD_COST / 2`.
    #[graphql(complexity = "crate::graphql::BOARD_COST / 2 + child_complexity")]
    async fn department_board(
        &self,
        ctx: &Context<'_>,
        department_id: ID,
    ) -> async_graphql::Result<DepartmentBoard> {
        let actor = actor(ctx).await?;
        let id = parse_id("departmentId", &department_id)?;
        Ok(DepartmentBoard(
            engine(ctx)?.department_board(actor, id).await.gql()?,
        ))
    }

    /// 考核规则 — the scoring rule table.
    async fn scoring_rules(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ScoringRule>> {
        actor(ctx).await?;
        Ok(engine(ctx)?
            .scoring_rules()
            .await
            .gql()?
            .into_iter()
            .map(ScoringRule)
            .collect())
    }

    /// 考核记分 — score entries with their causes, newest first; a department's
    /// own staff see their department's.
    async fn score_entries(
        &self,
        ctx: &Context<'_>,
        filter: Option<crate::graphql::filters::ScoreEntryFilterInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<crate::graphql::pages::Counted<ScoreEntry>> {
        let actor = actor(ctx).await?;
        let page = crate::graphql::pages::request(ctx, first, after.as_deref())?;
        let filter = filter.unwrap_or_default().engine()?;
        let entries = engine(ctx)?
            .score_entries(actor, &filter, page)
            .await
            .gql()?;
        Ok(crate::graphql::pages::counted(
            entries,
            page,
            |e| e.id,
            ScoreEntry,
        ))
    }

    /// 考核报表 — a month's (or, without `month`, a year's) points per department and staff
    /// member, with award eligibility for the year. Also as CSV: `GET /reports/scores.csv`.
    /// Costs `BOARD_COST / 2`.
    #[graphql(complexity = "crate::graphql::BOARD_COST / 2 + child_complexity")]
    async fn score_report(
        &self,
        ctx: &Context<'_>,
        year: i32,
        month: Option<u32>,
    ) -> async_graphql::Result<ScoreReport> {
        let actor = actor(ctx).await?;
        Ok(ScoreReport(
            engine(ctx)?.score_report(actor, year, month).await.gql()?,
        ))
    }
}
