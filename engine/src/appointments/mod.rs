//! 预约服务、上门服务 — an applicant (online, without signing in) or a window on their behalf
//! books a slot at a window, or a home visit, for a matter. Slots come from the window's office
//! hours and capacity on working days (`slots`); a booking is confirmed by email at once and
//! reminded the working day before (from its opening); a booking nobody came to is recorded as
//! missed; a booked visit received at the window opens its case in the same transaction.
//!
//! 节假日预约 — a request for service on a weekend or holiday goes to that day's duty officer,
//! who summons the right window staff by email; the request is then a booking like the others.

mod confirm;
mod handling;
mod holiday;
mod sweep;
mod windows;

pub use confirm::{CONFIRM_MINUTES, MAX_CODE_ATTEMPTS, PER_ADDRESS, PER_MAILBOX, PER_PHONE};
pub(crate) use handling::missed_in;
pub use sweep::AppointmentSweep;
pub use windows::SaveWindow;

use crate::cases::Applicant;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use crate::mail::outbox::{self, NewMessage};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use lianban_entity::{
    AppointmentKind, AppointmentStatus, appointment, matter, matter_department, service_window,
};
use lianban_rules::appointments as slots;
use lianban_rules::mail::{AppointmentConfirmed, Mail};
use lianban_rules::policy::Actor;
use lianban_rules::roles::Role;
use lianban_rules::validate;
use sea_orm::sea_query::{Expr, ExprTrait};
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
    let email = validate::required("email", email, validate::MAX_NAME)?;
    let ok = email.split_once('@').is_some_and(|(user, host)| {
        !user.is_empty() && host.contains('.') && !host.starts_with('.') && !host.ends_with('.')
    }) && !email.contains(char::is_whitespace);
    if ok {
        Ok(email)
    } else {
        Err(Error::invalid("email", "is not an email address"))
    }
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

impl Engine {
    /// Books a slot (or a home visit). Window staff book at once and the applicant is mailed
    /// the confirmation; online (`actor` `None`, from the network `address`) the booking is
    /// `PENDING` and holds nothing until the applicant enters the code mailed to them
    /// ([`Engine::confirm_appointment`]). The same applicant booking the same slot again gets
    /// the first booking back.
    ///
    /// # Errors
    /// `INVALID_INPUT` for bad applicant data or email, a start that is not one of the window's
    /// slots, a past slot or one too far ahead, a home visit without an address or at a window
    /// that makes none, or a matter the window's department does not handle; `NOT_FOUND` for an
    /// unknown window or matter; `CONFLICT` when the slot is full; `FORBIDDEN` when the day's
    /// online requests from this address, for this phone or to this mailbox are used up.
    pub async fn book_appointment(
        &self,
        actor: Option<&Actor>,
        input: BookAppointment,
        address_of_caller: Option<&str>,
    ) -> Result<crate::views::AppointmentView> {
        if let Some(actor) = actor {
            actor.require(Role::Window, "booking for an applicant")?;
        }
        if input.kind == AppointmentKind::Holiday {
            return Err(Error::invalid(
                "kind",
                "a holiday request is made with requestHolidayService",
            ));
        }
        let applicant = crate::cases::open::check_applicant(&input.applicant)?;
        let email = check_email(&input.email)?;
        let address = validate::optional("address", input.address.as_deref(), validate::MAX_TEXT)?;
        let note = validate::optional("note", input.note.as_deref(), validate::MAX_TEXT)?;
        if input.kind == AppointmentKind::HomeVisit && address.is_none() {
            return Err(Error::invalid("address", "a home visit needs the address"));
        }
        let now = self.now();
        let calendar = self.sync_calendar().await?;
        let (_gate, txn) = self.begin_write().await?;
        // The window row is the booking's lock: concurrent bookings of one window queue here.
        let locked = service_window::Entity::update_many()
            .col_expr(
                service_window::Column::Version,
                Expr::col(service_window::Column::Version).add(1),
            )
            .filter(service_window::Column::Id.eq(input.window_id))
            .filter(service_window::Column::Active.eq(true))
            .exec(&txn)
            .await?;
        if locked.rows_affected == 0 {
            return Err(Error::not_found(format!(
                "service window {}",
                input.window_id
            )));
        }
        let window = service_window::Entity::find_by_id(input.window_id)
            .one(&txn)
            .await?
            .ok_or_else(|| Error::not_found(format!("service window {}", input.window_id)))?;
        if input.kind == AppointmentKind::HomeVisit && !window.home_visits {
            return Err(Error::invalid(
                "kind",
                format!("{} makes no home visits", window.name),
            ));
        }
        let matter = matter_by_code(&txn, &input.matter_code).await?;
        if !handling_departments(&txn, &matter)
            .await?
            .contains(&window.department_id)
        {
            return Err(Error::invalid(
                "matterCode",
                format!("{} does not handle “{}”", window.name, matter.name),
            ));
        }
        let hours = windows::hours_of(window.clone(), calendar.hours())?;
        let (start, end) = slots::slot_at(&calendar, &hours, window.slot_minutes, input.slot_start)
            .ok_or_else(|| {
                Error::invalid(
                    "slotStart",
                    "is not one of the window's slots (working days, inside its office hours)",
                )
            })?;
        if start <= now {
            return Err(Error::invalid("slotStart", "has already begun"));
        }
        if start > now + Duration::days(BOOKING_DAYS_AHEAD) {
            return Err(Error::invalid(
                "slotStart",
                format!("slots are booked at most {BOOKING_DAYS_AHEAD} days ahead"),
            ));
        }
        let in_slot = appointment::Entity::find()
            .filter(appointment::Column::WindowId.eq(window.id))
            .filter(appointment::Column::SlotStart.eq(start))
            .filter(appointment::Column::Status.is_in([
                AppointmentStatus::Booked,
                AppointmentStatus::Received,
                AppointmentStatus::Pending,
            ]))
            .all(&txn)
            .await?;
        if let Some(first) = in_slot.iter().find(|a| {
            a.applicant_id_number == applicant.id_number
                && a.applicant_name == applicant.name
                && a.matter_id == matter.id
                && (a.status != AppointmentStatus::Pending || actor.is_none())
        }) {
            txn.rollback().await?;
            return Ok(crate::views::AppointmentView::from(first.clone()));
        }
        let taken = in_slot
            .iter()
            .filter(|a| a.status != AppointmentStatus::Pending)
            .count();
        if taken as i64 >= i64::from(window.capacity) {
            return Err(Error::Conflict(format!(
                "this slot of {} is full; choose another",
                window.name
            )));
        }
        let who = Who {
            applicant,
            email,
            address,
            note,
        };
        if actor.is_none() {
            self.claim_online_request(&txn, address_of_caller, &who)
                .await?;
        }
        let mut row = fresh(
            lianban_entity::AppointmentKind::from(input.kind),
            AppointmentStatus::Booked,
            matter.id,
            who,
            actor,
            now,
        );
        row.window_id = Set(Some(window.id));
        row.slot_start = Set(Some(start));
        row.slot_end = Set(Some(end));
        if actor.is_none() {
            let pending = confirm::Pending::new(row, now)?
                .write(&txn, &matter, Some(&window), now)
                .await?;
            txn.commit().await?;
            return Ok(pending);
        }
        let remind_at = confirm::remind_at(&calendar, start, now);
        row.remind_at = Set(remind_at);
        let booked = appointment::Entity::insert(row)
            .exec_with_returning(&txn)
            .await?;
        let mut event = NewEvent::system(EventKind::AppointmentBooked).after(json!({
            "appointmentId": booked.id, "code": booked.code, "kind": booked.kind,
            "windowId": window.id, "matter": matter.code, "slotStart": start, "remindAt": remind_at,
        }));
        event.actor_id = actor.map(|a| a.staff_id);
        events::record(&txn, now, vec![event]).await?;
        outbox::enqueue(
            &txn,
            now,
            confirmation(&booked, &matter.name, Some(&window)),
        )
        .await?;
        txn.commit().await?;
        Ok(crate::views::AppointmentView::from(booked))
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
