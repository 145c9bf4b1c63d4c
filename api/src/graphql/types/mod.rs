//! GraphQL object types. Each wraps an engine row and resolves its links through the engine.

pub mod accounts;
mod announcement;
pub mod appointments;
mod boards;
mod calendar;
mod case;
mod catalogue;
mod clock;
mod complaint;
mod documents;
mod event;
pub mod organisation;
mod oversight;
mod people;
mod scores;
pub mod services;
mod task;

pub use announcement::PublicAnnouncement;
pub use boards::{DepartmentBoard, LeadershipBoard};
pub use calendar::{CalendarView, DueDate, SavedCalendarYear};
pub use case::Case;
pub use catalogue::Matter;
pub use complaint::Complaint;
pub use documents::{Absence, Extension, NegativeReport, Notice, Suspension};
pub use event::Event;
pub use oversight::{OutboxMessage, SupervisionItem};
pub(crate) use people::all_departments;
pub use people::{Department, Staff};
pub use scores::{Evaluation, ScoreEntry, ScoreReport, ScoringRule};
pub use task::{Opinion, Task};

use crate::graphql::errors::Gql;
use async_graphql::{Context, ID};
use lianban_engine::{Engine, Error};
use uuid::Uuid;

/// The engine behind the request.
pub(crate) fn engine<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Engine> {
    ctx.data::<Engine>()
}

/// Reads a GraphQL `ID` as a UUID.
///
/// # Errors
/// `INVALID_INPUT` naming `field` when the id is malformed.
pub(crate) fn parse_id(field: &str, id: &ID) -> async_graphql::Result<Uuid> {
    Uuid::parse_str(id.as_str())
        .map_err(|_| {
            Error::invalid(
                field,
                format!("`{}` is not a valid id", truncate(id.as_str())),
            )
        })
        .gql()
}

fn truncate(s: &str) -> String {
    s.chars().take(40).collect()
}

/// The request's loaders (every request and connection has them).
pub(crate) fn loaders<'a>(
    ctx: &Context<'a>,
) -> async_graphql::Result<&'a crate::graphql::loaders::Loaders> {
    ctx.data::<crate::graphql::loaders::Loaders>()
}

/// Looks up a staff member for a link.
pub(crate) async fn staff_link(
    ctx: &Context<'_>,
    id: Option<Uuid>,
) -> async_graphql::Result<Option<Staff>> {
    match id {
        None => Ok(None),
        Some(id) => Ok(loaders(ctx)?.staff.load_one(id).await?.map(Staff::from)),
    }
}

/// The case a row links to, as the reader may see it.
pub(crate) async fn case_link(
    ctx: &Context<'_>,
    id: Option<Uuid>,
) -> async_graphql::Result<Option<Case>> {
    let Some(id) = id else {
        return Ok(None);
    };
    Ok(Some(linked_case(ctx, id).await?))
}

/// A case by id, batched with the request's other case links, as the reader may see it.
///
/// # Errors
/// `NOT_FOUND`; `FORBIDDEN` when the reader may not see it.
pub(crate) async fn linked_case(ctx: &Context<'_>, id: Uuid) -> async_graphql::Result<Case> {
    let actor = crate::graphql::session::actor(ctx).await?;
    let scoped = loaders(ctx)?
        .cases
        .load_one(id)
        .await?
        .ok_or_else(|| crate::graphql::to_gql(Error::not_found(format!("case {id}"))))?;
    Ok(Case::from(
        lianban_engine::cases::CaseView::for_reader(actor, scoped).gql()?,
    ))
}

/// Looks up a department for a link.
pub(crate) async fn department_link(
    ctx: &Context<'_>,
    id: Uuid,
) -> async_graphql::Result<Option<Department>> {
    let reference = engine(ctx)?.reference().await.gql()?;
    Ok(reference.departments.get(&id).cloned().map(Department))
}

/// Looks up a matter for a link.
pub(crate) async fn matter_link(
    ctx: &Context<'_>,
    id: Uuid,
) -> async_graphql::Result<Option<Matter>> {
    let reference = engine(ctx)?.reference().await.gql()?;
    Ok(reference.matters.get(&id).cloned().map(Matter))
}
