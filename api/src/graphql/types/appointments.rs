//! 预约 and 值班 as portals and the public read them: slots, bookings, duty days.

use super::services::ServiceWindow;
use super::{Case, Matter, Staff, case_link, engine, matter_link};
use crate::graphql::enums::{AppointmentKind, AppointmentStatus};
use crate::graphql::errors::Gql;
use crate::graphql::session::optional_actor;
use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use lianban_engine::views::AppointmentView;
use lianban_rules::policy::mask;

/// One bookable slot.
#[derive(SimpleObject)]
pub struct Slot {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub capacity: i32,
    pub booked: i32,
    pub available: i32,
}

/// A window's slots over some days.
#[derive(SimpleObject)]
pub struct SlotList {
    pub window: ServiceWindow,
    pub slots: Vec<Slot>,
}

/// 预约 — a booking, a home visit or a holiday request.
pub struct Appointment(pub AppointmentView);

impl Appointment {
    /// Whether the reader handles it (and so reads the applicant's data unmasked).
    async fn handled_by_reader(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        match optional_actor(ctx).await? {
            Some(actor) => Ok(engine(ctx)?
                .handles_appointment(actor, &self.0)
                .await
                .gql()?),
            None => Ok(false),
        }
    }
}

/// The applicant of a booking: ID number, phone and email in full only for the staff who
/// handle it (its window's department; for a holiday request the matter's departments, the
/// summoned staff and that day's duty officer), masked for everybody else — the applicant's
/// own booking answer included.
#[derive(SimpleObject)]
pub struct BookingApplicant {
    name: String,
    id_number: String,
    phone: String,
    email: String,
}

#[Object]
impl Appointment {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// 预约号 — what the applicant quotes.
    async fn code(&self) -> &str {
        &self.0.code
    }

    async fn kind(&self) -> AppointmentKind {
        self.0.kind.into()
    }

    async fn status(&self) -> AppointmentStatus {
        self.0.status.into()
    }

    async fn matter(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Matter>> {
        matter_link(ctx, self.0.matter_id).await
    }

    async fn window(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ServiceWindow>> {
        match self.0.window_id {
            Some(id) => Ok(engine(ctx)?
                .service_window(id)
                .await
                .gql()?
                .map(ServiceWindow)),
            None => Ok(None),
        }
    }

    async fn slot_start(&self) -> Option<DateTime<Utc>> {
        self.0.slot_start
    }

    async fn slot_end(&self) -> Option<DateTime<Utc>> {
        self.0.slot_end
    }

    /// An online booking still `PENDING` lapses at this instant unless confirmed.
    async fn confirm_by(&self) -> Option<DateTime<Utc>> {
        (self.0.status == lianban_rules::AppointmentStatus::Pending)
            .then_some(self.0.confirm_by)
            .flatten()
    }

    /// A holiday request's day.
    async fn requested_day(&self) -> Option<NaiveDate> {
        self.0
            .requested_day
            .as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    }

    /// Where a home visit goes (for the staff who handle it).
    async fn address(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        Ok(if self.handled_by_reader(ctx).await? {
            self.0.address.clone()
        } else {
            None
        })
    }

    async fn applicant(&self, ctx: &Context<'_>) -> async_graphql::Result<BookingApplicant> {
        let a = &self.0;
        Ok(if self.handled_by_reader(ctx).await? {
            BookingApplicant {
                name: a.applicant_name.clone(),
                id_number: a.applicant_id_number.clone(),
                phone: a.applicant_phone.clone(),
                email: a.applicant_email.clone(),
            }
        } else {
            BookingApplicant {
                name: a.applicant_name.clone(),
                id_number: mask(&a.applicant_id_number),
                phone: mask(&a.applicant_phone),
                email: mask(&a.applicant_email),
            }
        })
    }

    /// The applicant's note (for the staff who handle it).
    async fn note(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        Ok(if self.handled_by_reader(ctx).await? {
            self.0.note.clone()
        } else {
            None
        })
    }

    async fn booked_at(&self) -> DateTime<Utc> {
        self.0.booked_at
    }

    /// Who booked it for the applicant (null when booked online).
    async fn booked_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Staff>> {
        if optional_actor(ctx).await?.is_none() {
            return Ok(None);
        }
        super::staff_link(ctx, self.0.booked_by).await
    }

    /// When the reminder is sent (the opening of the working day before).
    async fn remind_at(&self) -> Option<DateTime<Utc>> {
        self.0.remind_at
    }

    async fn reminded_at(&self) -> Option<DateTime<Utc>> {
        self.0.reminded_at
    }

    /// The window staff the duty officer summoned (a holiday request).
    async fn summoned(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Staff>> {
        if optional_actor(ctx).await?.is_none() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for id in self.0.summoned.iter().copied() {
            out.extend(super::staff_link(ctx, Some(id)).await?);
        }
        Ok(out)
    }

    async fn handled_at(&self) -> Option<DateTime<Utc>> {
        self.0.handled_at
    }

    /// The case opened when the applicant was received.
    async fn case(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Case>> {
        if optional_actor(ctx).await?.is_none() {
            return Ok(None);
        }
        case_link(ctx, self.0.case_id).await
    }
}

/// 值班 — one day's duty officers.
pub struct DutyDay(pub lianban_engine::people::duty::DutyDay);

#[Object]
impl DutyDay {
    async fn day(&self) -> NaiveDate {
        self.0.day
    }

    /// Whether the centre works that day (weekends and holidays need duty too).
    async fn working_day(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(engine(ctx)?.calendar().is_working_day(self.0.day))
    }

    /// The holiday's name (春节, 国庆节…), if any.
    async fn holiday(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        Ok(engine(ctx)?
            .calendar()
            .day_name(self.0.day)
            .map(str::to_owned))
    }

    async fn officers(&self) -> Vec<Staff> {
        self.0.officers.iter().cloned().map(Staff::from).collect()
    }

    /// Nobody is on duty: the centre admin is alerted the working day before.
    async fn empty(&self) -> bool {
        self.0.officers.is_empty()
    }
}
