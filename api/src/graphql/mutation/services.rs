//! Mutations of the centre's own rules: publishing a service guide, marking a case urgent,
//! booking and handling appointments (public booking without sign-in), holiday requests and
//! the duty roster.

use crate::graphql::enums::{AppointmentKind, CaseKind, SpecialProcedure, UrgentCategory};
use crate::graphql::errors::Gql;
use crate::graphql::session::{actor, optional_actor};
use crate::graphql::types::appointments::{Appointment, DutyDay};
use crate::graphql::types::services::{ServiceGuide, ServiceWindow};
use crate::graphql::types::{Case, engine, parse_id};
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use lianban_engine::appointments::{BookAppointment, RequestHolidayService, SaveWindow};
use lianban_engine::cases::Applicant;
use lianban_engine::guides::PublishGuide;
use lianban_rules::guides::Material;

/// Guides, urgency, appointments and duty.
#[derive(Default)]
pub struct ServicesMutation;

/// A material of a guide.
#[derive(InputObject)]
pub struct GuideMaterialInput {
    name: String,
    /// A link (https://…) to a sample form.
    sample: Option<String>,
}

/// A new version of a matter's guide; limits left out keep the current ones.
#[derive(InputObject)]
pub struct PublishServiceGuideInput {
    matter_code: String,
    /// `IMMEDIATE` turns a promised matter into an immediate one (30 working minutes).
    kind: Option<CaseKind>,
    legal_limit: Option<i32>,
    promised_limit: Option<i32>,
    /// 急事急办 — the review limit of an urgent case's tasks (working days).
    urgent_review_limit: Option<i32>,
    materials: Vec<GuideMaterialInput>,
    legal_basis: String,
    /// Leave out when free.
    fee: Option<String>,
    fee_basis: Option<String>,
    #[graphql(default)]
    special_procedures: Vec<SpecialProcedure>,
    window_id: Option<ID>,
    notes: Option<String>,
    change_note: Option<String>,
    idempotency_key: Option<String>,
}

/// The applicant of a booking.
#[derive(InputObject)]
pub struct BookingApplicantInput {
    name: String,
    /// 身份证号 or 统一社会信用代码.
    id_number: String,
    phone: String,
    /// Where the confirmation and the reminder go.
    email: String,
}

/// A booking of a slot (or a home visit).
#[derive(InputObject)]
pub struct BookAppointmentInput {
    window_id: ID,
    matter_code: String,
    /// `WINDOW` (default) or `HOME_VISIT`.
    kind: Option<AppointmentKind>,
    /// The start of one of the window's slots (`appointmentSlots`).
    slot_start: DateTime<Utc>,
    applicant: BookingApplicantInput,
    /// Required for a home visit.
    address: Option<String>,
    note: Option<String>,
}

/// A request for service on a weekend or holiday.
#[derive(InputObject)]
pub struct RequestHolidayServiceInput {
    matter_code: String,
    day: NaiveDate,
    applicant: BookingApplicantInput,
    address: Option<String>,
    note: Option<String>,
}

/// A service window as the centre admin sets it up.
#[derive(InputObject)]
pub struct SaveServiceWindowInput {
    /// Leave out for a new window.
    id: Option<ID>,
    department_id: ID,
    name: String,
    location: String,
    /// `HH:MM-HH:MM` periods on working days; empty for the centre's office hours.
    #[graphql(default)]
    office_hours: Vec<String>,
    #[graphql(default = 30)]
    slot_minutes: i32,
    /// Applicants per slot.
    #[graphql(default = 2)]
    capacity: i32,
    #[graphql(default)]
    home_visits: bool,
    #[graphql(default = true)]
    active: bool,
}

/// A booked visit received: the booking and the case it opened.
#[derive(SimpleObject)]
pub struct ReceivedAppointment {
    appointment: Appointment,
    case: Case,
}

fn applicant(input: BookingApplicantInput) -> (Applicant, String) {
    (
        Applicant {
            name: input.name,
            id_number: input.id_number,
            phone: input.phone,
        },
        input.email,
    )
}

fn ids(field: &str, list: &[ID]) -> async_graphql::Result<Vec<uuid::Uuid>> {
    list.iter().map(|id| parse_id(field, id)).collect()
}

#[Object]
impl ServicesMutation {
    /// 办事指南 — publishes a new version of a matter's guide (CENTER_ADMIN). Shortening the
    /// promise or making a promised matter immediate credits the lead department (SPEC §7).
    async fn publish_service_guide(
        &self,
        ctx: &Context<'_>,
        input: PublishServiceGuideInput,
    ) -> async_graphql::Result<ServiceGuide> {
        let actor = actor(ctx).await?;
        let publish = PublishGuide {
            matter_code: input.matter_code,
            kind: input.kind.map(Into::into),
            legal_limit: input.legal_limit,
            promised_limit: input.promised_limit,
            urgent_review_limit: input.urgent_review_limit,
            materials: input
                .materials
                .into_iter()
                .map(|m| Material {
                    name: m.name,
                    sample: m.sample,
                })
                .collect(),
            legal_basis: input.legal_basis,
            fee: input.fee,
            fee_basis: input.fee_basis,
            special_procedures: input
                .special_procedures
                .into_iter()
                .map(Into::into)
                .collect(),
            window_id: input
                .window_id
                .as_ref()
                .map(|w| parse_id("windowId", w))
                .transpose()?,
            notes: input.notes,
            change_note: input.change_note,
            idempotency_key: input.idempotency_key,
        };
        Ok(ServiceGuide(
            engine(ctx)?.publish_guide(actor, publish).await.gql()?,
        ))
    }

    /// 急事急办 — the lead window marks a case urgent: first in every queue, the matter's
    /// shorter review limit for its tasks, earlier reminders. Marking it again changes nothing.
    async fn mark_case_urgent(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        category: UrgentCategory,
        reason: String,
    ) -> async_graphql::Result<Case> {
        let actor = actor(ctx).await?;
        let id = parse_id("caseId", &case_id)?;
        let case = engine(ctx)?
            .mark_urgent(actor, id, category.into(), &reason)
            .await
            .gql()?;
        Ok(Case::from(case))
    }

    /// 预约 — books a slot at a window or a home visit. By a window for the applicant: booked
    /// at once, the confirmation mailed. Online without signing in: `PENDING` — a six-digit
    /// code is mailed to the applicant's address and the slot is held only once
    /// `confirmAppointment` gets it (within 30 minutes); each network address, phone and mailbox
    /// makes a few such requests a day (`FORBIDDEN` with `retryAfterSeconds` past that). The
    /// reminder comes the working day before. The same applicant booking the same slot again
    /// gets the first booking.
    async fn book_appointment(
        &self,
        ctx: &Context<'_>,
        input: BookAppointmentInput,
    ) -> async_graphql::Result<Appointment> {
        let actor = optional_actor(ctx).await?;
        let (applicant, email) = applicant(input.applicant);
        let book = BookAppointment {
            window_id: parse_id("windowId", &input.window_id)?,
            matter_code: input.matter_code,
            kind: input
                .kind
                .map_or(lianban_rules::AppointmentKind::Window, Into::into),
            slot_start: input.slot_start,
            applicant,
            email,
            address: input.address,
            note: input.note,
        };
        Ok(Appointment(
            engine(ctx)?
                .book_appointment(actor, book, caller_address(ctx))
                .await
                .gql()?,
        ))
    }

    /// 节假日预约 — asks for service on a weekend or holiday; that day's duty officer hears of
    /// it and summons window staff. Without signing in it is `PENDING` until
    /// `confirmAppointment` gets the code mailed to the applicant, like an online booking.
    async fn request_holiday_service(
        &self,
        ctx: &Context<'_>,
        input: RequestHolidayServiceInput,
    ) -> async_graphql::Result<Appointment> {
        let actor = optional_actor(ctx).await?;
        let (applicant, email) = applicant(input.applicant);
        let request = RequestHolidayService {
            matter_code: input.matter_code,
            day: input.day,
            applicant,
            email,
            address: input.address,
            note: input.note,
        };
        Ok(Appointment(
            engine(ctx)?
                .request_holiday_service(actor, request, caller_address(ctx))
                .await
                .gql()?,
        ))
    }

    /// 确认预约 — the applicant enters the code mailed to them: the booking now holds its slot
    /// (a holiday request goes to the duty officer) and the confirmation is mailed. Five wrong
    /// codes, or 30 minutes, and the booking lapses (`INVALID_STATE`: book again); a slot that
    /// filled up meanwhile is `CONFLICT`. The same code again returns the confirmed booking.
    async fn confirm_appointment(
        &self,
        ctx: &Context<'_>,
        appointment_id: ID,
        confirmation_code: String,
    ) -> async_graphql::Result<Appointment> {
        let id = parse_id("appointmentId", &appointment_id)?;
        Ok(Appointment(
            engine(ctx)?
                .confirm_appointment(id, &confirmation_code)
                .await
                .gql()?,
        ))
    }

    /// The duty officer summons window staff for a holiday request: each is mailed, the
    /// applicant gets the confirmation, and the request is booked for `start` (`minutes` long).
    async fn summon_window_staff(
        &self,
        ctx: &Context<'_>,
        appointment_id: ID,
        staff_ids: Vec<ID>,
        start: DateTime<Utc>,
        #[graphql(default = 60)] minutes: i32,
    ) -> async_graphql::Result<Appointment> {
        let actor = actor(ctx).await?;
        let id = parse_id("appointmentId", &appointment_id)?;
        let staff = ids("staffIds", &staff_ids)?;
        Ok(Appointment(
            engine(ctx)?
                .summon_window_staff(actor, id, &staff, start, minutes)
                .await
                .gql()?,
        ))
    }

    /// The booked applicant came (or was visited): the booking opens its case at this window.
    async fn receive_appointment(
        &self,
        ctx: &Context<'_>,
        appointment_id: ID,
    ) -> async_graphql::Result<ReceivedAppointment> {
        let actor = actor(ctx).await?;
        let id = parse_id("appointmentId", &appointment_id)?;
        let (appointment, case) = engine(ctx)?.receive_appointment(actor, id).await.gql()?;
        Ok(ReceivedAppointment {
            appointment: Appointment(appointment),
            case: Case::from(case),
        })
    }

    /// 爽约 — records that nobody came (the sweep also does, 30 minutes after the slot).
    async fn record_missed_appointment(
        &self,
        ctx: &Context<'_>,
        appointment_id: ID,
    ) -> async_graphql::Result<Appointment> {
        let actor = actor(ctx).await?;
        let id = parse_id("appointmentId", &appointment_id)?;
        Ok(Appointment(
            engine(ctx)?
                .record_missed_appointment(actor, id)
                .await
                .gql()?,
        ))
    }

    /// Calls a booking off; the applicant is mailed the reason.
    async fn cancel_appointment(
        &self,
        ctx: &Context<'_>,
        appointment_id: ID,
        reason: String,
    ) -> async_graphql::Result<Appointment> {
        let actor = actor(ctx).await?;
        let id = parse_id("appointmentId", &appointment_id)?;
        Ok(Appointment(
            engine(ctx)?
                .cancel_appointment(actor, id, &reason)
                .await
                .gql()?,
        ))
    }

    /// 服务窗口 — sets up or changes a window that takes appointments (CENTER_ADMIN): its
    /// department, place, office hours, slot length, places per slot, home visits.
    async fn save_service_window(
        &self,
        ctx: &Context<'_>,
        input: SaveServiceWindowInput,
    ) -> async_graphql::Result<ServiceWindow> {
        let actor = actor(ctx).await?;
        let save = SaveWindow {
            id: input.id.as_ref().map(|i| parse_id("id", i)).transpose()?,
            department_id: parse_id("departmentId", &input.department_id)?,
            name: input.name,
            location: input.location,
            office_hours: input.office_hours,
            slot_minutes: input.slot_minutes,
            capacity: input.capacity,
            home_visits: input.home_visits,
            active: input.active,
        };
        Ok(ServiceWindow(
            engine(ctx)?.save_service_window(actor, save).await.gql()?,
        ))
    }

    /// 值班表 — sets a day's duty officers (CENTER_ADMIN), replacing the day's roster; an
    /// empty list leaves the day uncovered (the centre admin is alerted the working day before).
    async fn set_duty_roster(
        &self,
        ctx: &Context<'_>,
        day: NaiveDate,
        staff_ids: Vec<ID>,
    ) -> async_graphql::Result<DutyDay> {
        let actor = actor(ctx).await?;
        let staff = ids("staffIds", &staff_ids)?;
        Ok(DutyDay(
            engine(ctx)?.set_duty(actor, day, &staff).await.gql()?,
        ))
    }
}

/// The caller's network address, as the trusted proxies report it.
fn caller_address<'a>(ctx: &Context<'a>) -> Option<&'a str> {
    ctx.data_opt::<crate::graphql::Session>()
        .and_then(|s| s.address())
}
