//! Queries of the centre's own rules: service guides, windows and their slots (public), the
//! appointments a window keeps, and the duty roster.

use crate::graphql::errors::Gql;
use crate::graphql::pages::{self, Counted};
use crate::graphql::session::actor;
use crate::graphql::types::appointments::{Appointment, DutyDay, Slot, SlotList};
use crate::graphql::types::services::{ServiceGuide, ServiceWindow};
use crate::graphql::types::{engine, parse_id};
use async_graphql::{Context, ID, Object};
use chrono::NaiveDate;

/// Guides, appointments and duty.
#[derive(Default)]
pub struct ServicesQuery;

#[Object]
impl ServicesQuery {
    /// 办事指南 — a matter's guide: `version`, or the current one. No sign-in.
    async fn service_guide(
        &self,
        ctx: &Context<'_>,
        matter_code: String,
        version: Option<i32>,
    ) -> async_graphql::Result<ServiceGuide> {
        let (_, guide) = engine(ctx)?.guide(&matter_code, version).await.gql()?;
        Ok(ServiceGuide(guide))
    }

    /// The current guide of every matter, by matter code. No sign-in.
    async fn service_guides(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ServiceGuide>> {
        Ok(engine(ctx)?
            .current_guides()
            .await
            .gql()?
            .into_iter()
            .map(|(_, g)| ServiceGuide(g))
            .collect())
    }

    /// Every version of a matter's guide, newest first. No sign-in.
    async fn service_guide_versions(
        &self,
        ctx: &Context<'_>,
        matter_code: String,
    ) -> async_graphql::Result<Vec<ServiceGuide>> {
        Ok(engine(ctx)?
            .guide_versions(&matter_code)
            .await
            .gql()?
            .into_iter()
            .map(ServiceGuide)
            .collect())
    }

    /// The windows that take appointments. No sign-in (the closed ones too, with
    /// `includeInactive`: centre admin).
    async fn service_windows(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = false)] include_inactive: bool,
    ) -> async_graphql::Result<Vec<ServiceWindow>> {
        if include_inactive {
            crate::graphql::session::actor(ctx)
                .await?
                .require(lianban_engine::Role::CenterAdmin, "listing closed windows")
                .map_err(lianban_engine::Error::from)
                .gql()?;
        }
        Ok(engine(ctx)?
            .service_windows(include_inactive)
            .await
            .gql()?
            .into_iter()
            .map(ServiceWindow)
            .collect())
    }

    /// 预约时段 — a window's slots on the working days among `days` (1–31, default 7) from
    /// `from`, with the places left. No sign-in.
    #[graphql(complexity = "crate::graphql::SPAN_COST + child_complexity")]
    async fn appointment_slots(
        &self,
        ctx: &Context<'_>,
        window_id: ID,
        from: NaiveDate,
        days: Option<i32>,
    ) -> async_graphql::Result<SlotList> {
        let id = parse_id("windowId", &window_id)?;
        let (window, slots) = engine(ctx)?
            .appointment_slots(id, from, i64::from(days.unwrap_or(7)))
            .await
            .gql()?;
        Ok(SlotList {
            window: ServiceWindow(window),
            slots: slots
                .into_iter()
                .map(|s| Slot {
                    available: s.available(),
                    start: s.start,
                    end: s.end,
                    capacity: s.capacity,
                    booked: s.booked,
                })
                .collect(),
        })
    }

    /// 预约 — the appointments I may see, in booking order; `day` gives a day's slots and holiday
    /// requests (windows and department heads: their department's; duty officers: the holiday
    /// requests; the centre admin, leaders and supervisors: all, with the applicant masked).
    async fn appointments(
        &self,
        ctx: &Context<'_>,
        filter: Option<crate::graphql::filters::AppointmentFilterInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Counted<Appointment>> {
        let actor = actor(ctx).await?;
        let page = pages::request(ctx, first, after.as_deref())?;
        let filter = filter.unwrap_or_default().engine()?;
        let found = engine(ctx)?
            .appointments(actor, &filter, page)
            .await
            .gql()?;
        Ok(pages::counted(found, page, |a| a.id, Appointment))
    }

    /// One appointment, for the staff who handle it.
    async fn appointment(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Appointment> {
        let actor = actor(ctx).await?;
        let id = parse_id("id", &id)?;
        Ok(Appointment(
            engine(ctx)?.appointment(actor, id).await.gql()?,
        ))
    }

    /// 值班表 — every day from `from` for `days` days (1–62, default 14), empty days included
    /// (any signed-in staff member).
    #[graphql(complexity = "crate::graphql::SPAN_COST + child_complexity")]
    async fn duty_roster(
        &self,
        ctx: &Context<'_>,
        from: NaiveDate,
        days: Option<i32>,
    ) -> async_graphql::Result<Vec<DutyDay>> {
        actor(ctx).await?;
        Ok(engine(ctx)?
            .duty_roster(from, i64::from(days.unwrap_or(14)))
            .await
            .gql()?
            .into_iter()
            .map(DutyDay)
            .collect())
    }
}
