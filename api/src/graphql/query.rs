//! Queries: `me`, `myTasks`, `case`, `caseByNumber`, `cases`, the catalogue, oversight, and
//! the public announcements (the one read without signing in).

use crate::graphql::enums::{ComplaintStatus, LimitUnit, OutboxStatus};
use crate::graphql::errors::Gql;
use crate::graphql::pages::{self, Counted, Listed};
use crate::graphql::session::actor;
use crate::graphql::types::{
    CalendarView, Case, Complaint, Department, DueDate, Matter, NegativeReport, OutboxMessage,
    PublicAnnouncement, Staff, SupervisionItem, Task, engine, parse_id,
};
use async_graphql::{Context, ID, Object};
use chrono::{DateTime, NaiveDate, Utc};
use lianban_engine::Error;

/// The root of every read.
#[derive(Default)]
pub struct QueryRoot;

use crate::graphql::filters::{CaseFilterInput, SupervisionFilterInput, TaskFilterInput};

#[Object]
impl QueryRoot {
    /// The signed-in staff member, with department and roles.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Staff> {
        // Read with a temporary password too: the page that changes it names the person.
        let actor = &crate::graphql::session::account(ctx).await?.actor;
        engine(ctx)?
            .staff_by_id(actor.staff_id)
            .await
            .gql()?
            .map(Staff::own)
            .ok_or_else(|| crate::graphql::to_gql(Error::Unauthenticated("account gone".into())))
    }

    /// The tasks assigned to me (including those I work for an absent colleague), oldest
    /// first. Filters combine: `light` matches running clocks by their light now; `from`/`to`
    /// bound when the task was created.
    async fn my_tasks(
        &self,
        ctx: &Context<'_>,
        filter: Option<TaskFilterInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Counted<Task>> {
        let actor = actor(ctx).await?;
        let engine = engine(ctx)?;
        let page = pages::request(ctx, first, after.as_deref())?;
        let filter = filter.unwrap_or_default().engine(engine).await?;
        let tasks = engine.my_tasks(actor, &filter, page).await.gql()?;
        crate::graphql::types::loaders(ctx)?
            .prime_tasks(ctx, engine, &tasks.items)
            .await?;
        Ok(pages::counted(tasks, page, |t| t.id, Task::from))
    }

    /// A case by id.
    async fn case(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Case> {
        let actor = actor(ctx).await?;
        let id = parse_id("id", &id)?;
        Ok(Case::from(engine(ctx)?.case_view(actor, id).await.gql()?))
    }

    /// A case by its number, e.g. `LB-20261123-000042`.
    async fn case_by_number(
        &self,
        ctx: &Context<'_>,
        number: String,
    ) -> async_graphql::Result<Case> {
        let actor = actor(ctx).await?;
        Ok(Case::from(
            engine(ctx)?
                .case_view_by_number(actor, &number)
                .await
                .gql()?,
        ))
    }

    /// The cases I may read, newest first. Filters combine: `department` (leading or with a
    /// task), `light` (the case's own running clock now), `from`/`to` (when received).
    async fn cases(
        &self,
        ctx: &Context<'_>,
        filter: Option<CaseFilterInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Listed<Case>> {
        let actor = actor(ctx).await?;
        let engine = engine(ctx)?;
        let page = pages::request(ctx, first, after.as_deref())?;
        let filter = filter.unwrap_or_default().engine(engine).await?;
        let cases = engine.cases(actor, &filter, page).await.gql()?;
        Ok(pages::listed(cases, page, |c| c.case.id, Case::from))
    }

    /// 否定报备 — the reports waiting for my signature, oldest first.
    async fn reports_to_sign(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Counted<NegativeReport>> {
        let actor = actor(ctx).await?;
        let page = pages::request(ctx, first, after.as_deref())?;
        let reports = engine(ctx)?.reports_to_sign(actor, page).await.gql()?;
        Ok(pages::counted(reports, page, |r| r.id, NegativeReport))
    }

    /// 督办事项 — supervision items, newest first (leaders, centre admins and supervisors see
    /// all; department heads their department's). Filters combine.
    async fn supervisions(
        &self,
        ctx: &Context<'_>,
        filter: Option<SupervisionFilterInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Counted<SupervisionItem>> {
        let actor = actor(ctx).await?;
        let page = pages::request(ctx, first, after.as_deref())?;
        let filter = filter.unwrap_or_default().engine()?;
        let items = engine(ctx)?
            .supervisions(actor, &filter, page)
            .await
            .gql()?;
        Ok(pages::counted(items, page, |i| i.id, SupervisionItem))
    }

    /// 发件箱 — queued, sent or failed messages (centre admin), newest first.
    async fn outbox_messages(
        &self,
        ctx: &Context<'_>,
        status: OutboxStatus,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Listed<OutboxMessage>> {
        let actor = actor(ctx).await?;
        let page = pages::request(ctx, first, after.as_deref())?;
        let messages = engine(ctx)?
            .outbox_messages(actor, status.into(), page)
            .await
            .gql()?;
        Ok(pages::listed(messages, page, |m| m.id, OutboxMessage))
    }

    /// 事项目录 — the catalogue.
    async fn matters(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Matter>> {
        actor(ctx).await?;
        Ok(engine(ctx)?
            .matters()
            .await
            .gql()?
            .into_iter()
            .map(Matter)
            .collect())
    }

    /// 工作日历 — the days from `from` to `to` (at most 366), with office hours and warnings.
    #[graphql(complexity = "crate::graphql::SPAN_COST + child_complexity")]
    async fn calendar(
        &self,
        ctx: &Context<'_>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> async_graphql::Result<CalendarView> {
        actor(ctx).await?;
        let engine = engine(ctx)?;
        let days = engine.calendar_days(from, to).await.gql()?;
        let calendar = engine.calendar();
        Ok(CalendarView {
            days: days.into_iter().map(Into::into).collect(),
            office_hours: calendar.hours().describe(),
            next_opening: engine.next_opening().gql()?,
            years: engine
                .calendar_years()
                .await
                .gql()?
                .into_iter()
                .map(Into::into)
                .collect(),
            warnings: engine.calendar_warnings(),
        })
    }

    /// When a limit of `amount` `unit`s starting at `start` (default: now) would run out.
    async fn due_date(
        &self,
        ctx: &Context<'_>,
        start: Option<DateTime<Utc>>,
        amount: i32,
        unit: LimitUnit,
    ) -> async_graphql::Result<DueDate> {
        actor(ctx).await?;
        let engine = engine(ctx)?;
        let due = engine
            .due_date(
                start.unwrap_or_else(|| engine.now()),
                unit.into(),
                i64::from(amount),
            )
            .await
            .gql()?;
        Ok(DueDate {
            due_at: due.due_at,
            provisional: due.provisional,
        })
    }

    /// Every department of the centre.
    async fn departments(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Department>> {
        actor(ctx).await?;
        crate::graphql::types::all_departments(ctx).await
    }

    /// 办结公告 — decided cases of the matters that must be published, newest decision first;
    /// no sign-in, no personal data. The cursor is the last announcement's `cursor`.
    #[graphql(complexity = "crate::graphql::SPAN_COST + child_complexity")]
    async fn public_announcements(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Listed<PublicAnnouncement>> {
        let page = pages::request(ctx, first, after.as_deref())?;
        let found = engine(ctx)?.public_announcements(page).await.gql()?;
        Ok(pages::listed(
            found,
            page,
            |a| a.id,
            PublicAnnouncement::from,
        ))
    }

    /// 投诉 — complaints, newest first (leaders, the centre admin and supervisors see all;
    /// department heads their department's). Only the centre admin and supervisors see who
    /// complained.
    async fn complaints(
        &self,
        ctx: &Context<'_>,
        status: Option<ComplaintStatus>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Counted<Complaint>> {
        let actor = actor(ctx).await?;
        let page = pages::request(ctx, first, after.as_deref())?;
        let found = engine(ctx)?
            .complaints(actor, status.map(Into::into), page)
            .await
            .gql()?;
        Ok(pages::counted(found, page, |c| c.id, Complaint))
    }
}
