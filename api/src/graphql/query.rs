//! Queries: `me`, `myTasks`, `case`, `caseByNumber`, `cases`, the catalogue, oversight, and
//! the public announcements (the one read without signing in).

use crate::graphql::enums::{
    CaseStatus, ComplaintStatus, LimitUnit, OutboxStatus, SupervisionLevel, SupervisionStatus,
    TaskStatus,
};
use crate::graphql::errors::Gql;
use crate::graphql::session::actor;
use crate::graphql::types::{
    CalendarView, Case, Complaint, Department, DueDate, Matter, NegativeReport, OutboxMessage,
    PublicAnnouncement, Staff, SupervisionItem, Task, engine, parse_id,
};
use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, Object};
use chrono::{DateTime, NaiveDate, Utc};
use lianban_engine::Error;
use lianban_engine::cases::CaseFilter;
use lianban_engine::page::PageRequest;
use lianban_engine::supervision::SupervisionFilter;

/// The root of every read.
#[derive(Default)]
pub struct QueryRoot;

#[Object]
impl QueryRoot {
    /// The signed-in staff member, with department and roles.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Staff> {
        let actor = actor(ctx).await?;
        engine(ctx)?
            .staff_by_id(actor.staff_id)
            .await
            .gql()?
            .map(Staff)
            .ok_or_else(|| crate::graphql::to_gql(Error::Unauthenticated("account gone".into())))
    }

    /// The tasks assigned to me, oldest first.
    async fn my_tasks(
        &self,
        ctx: &Context<'_>,
        status: Option<TaskStatus>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Task>> {
        let actor = actor(ctx).await?;
        let page = PageRequest::new(first, after.as_deref()).gql()?;
        let tasks = engine(ctx)?
            .my_tasks(actor, status.map(Into::into), page)
            .await
            .gql()?;
        let mut connection = Connection::new(page.after.is_some(), tasks.has_next);
        connection.edges.extend(
            tasks
                .items
                .into_iter()
                .map(|t| Edge::new(t.id.to_string(), Task::from(t))),
        );
        Ok(connection)
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

    /// The cases I may read, newest first.
    async fn cases(
        &self,
        ctx: &Context<'_>,
        status: Option<CaseStatus>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Case>> {
        let actor = actor(ctx).await?;
        let page = PageRequest::new(first, after.as_deref()).gql()?;
        let filter = CaseFilter {
            status: status.map(Into::into),
        };
        let cases = engine(ctx)?.cases(actor, &filter, page).await.gql()?;
        let mut connection = Connection::new(page.after.is_some(), cases.has_next);
        connection.edges.extend(
            cases
                .items
                .into_iter()
                .map(|c| Edge::new(c.case.id.to_string(), Case::from(c))),
        );
        Ok(connection)
    }

    /// 否定报备 — the reports waiting for my signature, oldest first.
    async fn reports_to_sign(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<NegativeReport>> {
        let actor = actor(ctx).await?;
        Ok(engine(ctx)?
            .reports_to_sign(actor)
            .await
            .gql()?
            .into_iter()
            .map(NegativeReport)
            .collect())
    }

    /// 督办事项 — supervision items (leaders, centre admins and supervisors see all; department
    /// heads their department's), newest first.
    async fn supervisions(
        &self,
        ctx: &Context<'_>,
        status: Option<SupervisionStatus>,
        level: Option<SupervisionLevel>,
    ) -> async_graphql::Result<Vec<SupervisionItem>> {
        let actor = actor(ctx).await?;
        let filter = SupervisionFilter {
            status: status.map(Into::into),
            level: level.map(Into::into),
        };
        Ok(engine(ctx)?
            .supervisions(actor, &filter)
            .await
            .gql()?
            .into_iter()
            .map(SupervisionItem)
            .collect())
    }

    /// 发件箱 — queued, sent or failed messages (centre admin), newest first.
    async fn outbox_messages(
        &self,
        ctx: &Context<'_>,
        status: OutboxStatus,
        #[graphql(default = 100)] limit: u32,
    ) -> async_graphql::Result<Vec<OutboxMessage>> {
        let actor = actor(ctx).await?;
        Ok(engine(ctx)?
            .outbox_messages(actor, status.into(), u64::from(limit))
            .await
            .gql()?
            .into_iter()
            .map(OutboxMessage)
            .collect())
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
    async fn public_announcements(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, PublicAnnouncement>> {
        let page = PageRequest::new(first, after.as_deref()).gql()?;
        let found = engine(ctx)?.public_announcements(page).await.gql()?;
        let mut connection = Connection::new(page.after.is_some(), found.has_next);
        connection.edges.extend(
            found
                .items
                .into_iter()
                .map(|a| Edge::new(a.id.to_string(), PublicAnnouncement::from(a))),
        );
        Ok(connection)
    }

    /// 投诉 — complaints, newest first (leaders, the centre admin and supervisors see all;
    /// department heads their department's). Only the centre admin and supervisors see who
    /// complained.
    async fn complaints(
        &self,
        ctx: &Context<'_>,
        status: Option<ComplaintStatus>,
    ) -> async_graphql::Result<Vec<Complaint>> {
        let actor = actor(ctx).await?;
        Ok(engine(ctx)?
            .complaints(actor, status.map(Into::into))
            .await
            .gql()?
            .into_iter()
            .map(Complaint)
            .collect())
    }
}
