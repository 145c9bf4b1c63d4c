//! 预约 — booking a slot at a window, or a home visit, by window staff or online.

use super::{
    BOOKING_DAYS_AHEAD, BookAppointment, Who, check_email, confirm, confirmation, fresh,
    handling_departments, matter_by_code, online, windows,
};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use crate::mail::outbox;
use chrono::Duration;
use lianban_entity::{AppointmentKind, AppointmentStatus, appointment, service_window};
use lianban_rules::appointments as slots;
use lianban_rules::policy::Actor;
use lianban_rules::roles::Role;
use lianban_rules::validate;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

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
            let pending = online::Pending::new(row, now)?
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
