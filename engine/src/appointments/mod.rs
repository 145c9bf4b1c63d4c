//! 预约服务、上门服务 — an applicant (online, without signing in) or a window on their behalf
//! books a slot at a window, or a home visit, for a matter. Slots come from the window's office
//! hours and capacity on working days (`slots`); a booking is confirmed by email at once and
//! reminded the working day before (from its opening); a booking nobody came to is recorded as
//! missed; a booked visit received at the window opens its case in the same transaction.
//!
//! 节假日预约 — a request for service on a weekend or holiday goes to that day's duty officer,
//! who summons the right window staff by email; the request is then a booking like the others.

mod book;
mod confirm;
mod handling;
mod holiday;
mod online;
mod reads;
mod sweep;
mod windows;

pub use confirm::{CONFIRM_MINUTES, MAX_CODE_ATTEMPTS};
pub(crate) use handling::missed_in;
pub use online::{PER_ADDRESS, PER_MAILBOX, PER_PHONE};
pub use sweep::AppointmentSweep;
pub use windows::SaveWindow;

use crate::cases::Applicant;
use crate::error::{Error, Result};
use crate::mail::outbox::NewMessage;
use chrono::{DateTime, NaiveDate, Utc};
use lianban_entity::{
    AppointmentKind, AppointmentStatus, appointment, matter, matter_department, service_window,
};
use lianban_rules::mail::{AppointmentConfirmed, Mail};
use lianban_rules::policy::Actor;
use lianban_rules::validate;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

/// How many days ahead a slot may be booked.
pub const BOOKING_DAYS_AHEAD: i64 = 30;

/// A booking, as the applicant or the window makes it.
#[derive(Debug, Clone)]
pub struct BookAppointment {
    pub window_id: Uuid,
    pub matter_code: String,
    /// `WINDOW` or `HOME_VISIT`.
    pub kind: lianban_rules::AppointmentKind,
    pub slot_start: DateTime<Utc>,
    pub applicant: Applicant,
    pub email: String,
    /// Required for a home visit.
    pub address: Option<String>,
    pub note: Option<String>,
}

/// A holiday service request.
#[derive(Debug, Clone)]
pub struct RequestHolidayService {
    pub matter_code: String,
    /// A weekend day or a holiday (Asia/Shanghai).
    pub day: NaiveDate,
    pub applicant: Applicant,
    pub email: String,
    pub address: Option<String>,
    pub note: Option<String>,
}

/// Which appointments to list.
#[derive(Debug, Clone, Default)]
pub struct AppointmentFilter {
    pub status: Option<lianban_rules::AppointmentStatus>,
    pub kind: Option<lianban_rules::AppointmentKind>,
    pub window_id: Option<Uuid>,
    /// Only those whose slot (or requested day) is on this day.
    pub day: Option<NaiveDate>,
}

fn check_email(email: &str) -> Result<String> {
    Ok(validate::email("email", email)?)
}

/// A short booking code the applicant quotes (预约号).
fn booking_code() -> String {
    format!(
        "YY{}",
        &Uuid::new_v4().simple().to_string()[..8].to_uppercase()
    )
}

/// The departments that handle a matter: its lead and its co-handling departments.
async fn handling_departments<C: ConnectionTrait>(db: &C, m: &matter::Model) -> Result<Vec<Uuid>> {
    let mut ids = vec![m.lead_department_id];
    ids.extend(
        matter_department::Entity::find()
            .filter(matter_department::Column::MatterId.eq(m.id))
            .all(db)
            .await?
            .into_iter()
            .map(|d| d.department_id),
    );
    Ok(ids)
}

async fn matter_by_code<C: ConnectionTrait>(db: &C, code: &str) -> Result<matter::Model> {
    let code = validate::required("matterCode", code, validate::MAX_SHORT)?;
    matter::Entity::find()
        .filter(matter::Column::Code.eq(code.as_str()))
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found(format!("matter `{code}`")))
}

/// Who a booking is for, as they gave it.
pub(crate) struct Who {
    pub applicant: Applicant,
    pub email: String,
    pub address: Option<String>,
    pub note: Option<String>,
}

/// A new appointment row with no slot, reminder or case yet.
pub(crate) fn fresh(
    kind: AppointmentKind,
    status: AppointmentStatus,
    matter_id: Uuid,
    who: Who,
    actor: Option<&Actor>,
    now: DateTime<Utc>,
) -> appointment::ActiveModel {
    appointment::ActiveModel {
        id: Set(Uuid::now_v7()),
        code: Set(booking_code()),
        kind: Set(kind),
        status: Set(status),
        matter_id: Set(matter_id),
        window_id: Set(None),
        slot_start: Set(None),
        slot_end: Set(None),
        requested_day: Set(None),
        address: Set(who.address),
        applicant_name: Set(who.applicant.name),
        applicant_id_number: Set(who.applicant.id_number),
        applicant_phone: Set(who.applicant.phone),
        applicant_email: Set(who.email),
        note: Set(who.note),
        booked_by: Set(actor.map(|a| a.staff_id)),
        booked_at: Set(now),
        remind_at: Set(None),
        reminded_at: Set(None),
        summoned: Set(json!([])),
        handled_by: Set(None),
        handled_at: Set(None),
        case_id: Set(None),
        updated_at: Set(now),
        confirmation_code_hash: Set(None),
        confirmation_attempts: Set(0),
        confirm_by: Set(None),
    }
}

/// A holiday request's day (stored as `YYYY-MM-DD`), for its mail.
///
/// # Errors
/// `INTERNAL` for a stored day that is not a date.
fn requested_day(a: &appointment::Model) -> Result<Option<NaiveDate>> {
    a.requested_day
        .as_deref()
        .map(|day| {
            NaiveDate::parse_from_str(day, "%Y-%m-%d")
                .map_err(|e| Error::Internal(format!("appointment {} day `{day}`: {e}", a.id)))
        })
        .transpose()
}

/// The mail confirming a booking to the applicant.
fn confirmation(
    a: &appointment::Model,
    matter: &str,
    window: Option<&service_window::Model>,
) -> NewMessage {
    NewMessage {
        message_id: format!(
            "appointment-{}-confirmed-{}",
            a.id,
            a.updated_at.timestamp()
        ),
        recipient_id: None,
        recipient_email: a.applicant_email.clone(),
        mail: Mail::AppointmentConfirmed(AppointmentConfirmed {
            code: a.code.clone(),
            kind: a.kind.domain(),
            matter: matter.to_owned(),
            applicant: a.applicant_name.clone(),
            slot_start: a.slot_start,
            slot_end: a.slot_end,
            reminder: a.remind_at.is_some(),
            window: window.map(|w| w.name.clone()),
            location: window.map(|w| w.location.clone()),
            address: a.address.clone(),
        }),
    }
}

/// Locks an appointment for the rest of the transaction (its first write) and returns it.
async fn lock<C: ConnectionTrait>(txn: &C, id: Uuid) -> Result<appointment::Model> {
    let locked = appointment::Entity::update_many()
        .col_expr(
            appointment::Column::Code,
            Expr::col(appointment::Column::Code),
        )
        .filter(appointment::Column::Id.eq(id))
        .exec(txn)
        .await?;
    if locked.rows_affected == 0 {
        return Err(Error::not_found(format!("appointment {id}")));
    }
    appointment::Entity::find_by_id(id)
        .one(txn)
        .await?
        .ok_or_else(|| Error::not_found(format!("appointment {id}")))
}
