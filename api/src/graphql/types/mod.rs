//! GraphQL object types. Each wraps an engine row and resolves its links through the engine.

mod announcement;
mod boards;
mod calendar;
mod case;
mod catalogue;
mod clock;
mod complaint;
mod documents;
mod event;
mod oversight;
mod people;
mod scores;
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

/// Looks up a staff member for a link.
pub(crate) async fn staff_link(
    ctx: &Context<'_>,
    id: Option<Uuid>,
) -> async_graphql::Result<Option<Staff>> {
    match id {
        None => Ok(None),
        Some(id) => Ok(engine(ctx)?.staff_by_id(id).await.gql()?.map(Staff)),
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
    let actor = crate::graphql::session::actor(ctx).await?;
    Ok(Some(Case::from(
        engine(ctx)?.case_view(actor, id).await.gql()?,
    )))
}

/// Looks up a department for a link.
pub(crate) async fn department_link(
    ctx: &Context<'_>,
    id: Uuid,
) -> async_graphql::Result<Option<Department>> {
    Ok(engine(ctx)?
        .department_by_id(id)
        .await
        .gql()?
        .map(Department))
}
