//! The centre admin's mutations: the calendar, and resending a failed message.

use crate::graphql::errors::Gql;
use crate::graphql::session::actor;
use crate::graphql::types::{OutboxMessage, SavedCalendarYear, engine};
use async_graphql::{Context, InputObject, Object};
use lianban_rules::calendar::YearText;
use lianban_rules::calendar::schedule::DayText;

/// The centre admin's work.
#[derive(Default)]
pub struct AdminMutation;

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

fn days(list: Vec<CalendarDayInput>) -> Vec<DayText> {
    list.into_iter()
        .map(|d| DayText {
            date: d.date,
            name: d.name,
        })
        .collect()
}

#[Object]
impl AdminMutation {
    /// 重发 — puts a failed message back in the queue (centre admin).
    async fn resend_message(
        &self,
        ctx: &Context<'_>,
        id: async_graphql::ID,
    ) -> async_graphql::Result<OutboxMessage> {
        let actor = actor(ctx).await?;
        let id = crate::graphql::types::parse_id("id", &id)?;
        Ok(OutboxMessage(
            engine(ctx)?.resend_message(actor, id).await.gql()?,
        ))
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
}
