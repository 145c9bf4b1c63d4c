//! A booking at the window: received as a case, recorded as missed, called off (the reads of
//! the staff who handle bookings are in `reads`).

use super::lock;
use crate::cases::{Applicant, open::Opening};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use crate::mail::outbox::{self, NewMessage};
use chrono::{DateTime, Utc};
use lianban_entity::{AppointmentStatus, appointment, matter};
use lianban_rules::calendar::local_date;
use lianban_rules::mail::{AppointmentCancelled, Mail};
use lianban_rules::policy::Actor;
use lianban_rules::roles::Role;
use lianban_rules::validate;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait, IntoActiveModel};
use serde_json::json;
use uuid::Uuid;

impl Engine {
    /// The applicant came (or was visited): the booking opens its case, received by this
    /// window, in the same transaction.
    ///
    /// # Errors
    /// `FORBIDDEN` unless a window of the booking's department (or summoned for it);
    /// `INVALID_STATE` unless booked (or recorded missed the same day); `NOT_FOUND`.
    pub async fn receive_appointment(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<(crate::views::AppointmentView, crate::cases::CaseView)> {
        actor.require(Role::Window, "receiving a booked applicant")?;
        let now = self.now();
        let (gate, txn) = self.begin_write().await?;
        let booking = lock(&txn, id).await?;
        may_handle(&txn, actor, &booking.clone().into()).await?;
        let late_same_day = booking.status == AppointmentStatus::Missed
            && booking
                .slot_start
                .is_some_and(|s| local_date(s) == local_date(now));
        if booking.status != AppointmentStatus::Booked && !late_same_day {
            return Err(Error::InvalidState(format!(
                "this booking is {:?}; only a booked visit is received",
                booking.status
            )));
        }
        let matter = matter::Entity::find_by_id(booking.matter_id)
            .one(&txn)
            .await?
            .ok_or_else(|| Error::Internal("appointment matter".into()))?;
        let (case, _) = self
            .open_in(
                &txn,
                actor,
                Opening {
                    id: Uuid::now_v7(),
                    matter: &matter,
                    applicant: Applicant {
                        name: booking.applicant_name.clone(),
                        id_number: booking.applicant_id_number.clone(),
                        phone: booking.applicant_phone.clone(),
                    },
                    first_responder: actor.staff_id,
                    calendar: None,
                    number: None,
                },
                now,
            )
            .await?;
        let mut active = booking.clone().into_active_model();
        active.status = Set(AppointmentStatus::Received);
        active.case_id = Set(Some(case.id));
        active.handled_by = Set(Some(actor.staff_id));
        active.handled_at = Set(Some(now));
        active.updated_at = Set(now);
        let received = active.update(&txn).await?;
        events::record(
            &txn,
            now,
            vec![
                NewEvent::case(
                    EventKind::AppointmentReceived,
                    case.id,
                    Some(actor.staff_id),
                )
                .before(json!({ "status": booking.status }))
                .after(json!({
                    "appointmentId": booking.id, "code": booking.code, "status": received.status,
                    "slotStart": booking.slot_start, "number": case.number,
                })),
            ],
        )
        .await?;
        let case = crate::cases::verb::close(actor, gate, txn, case).await?;
        Ok((received.into(), case))
    }

    /// Records that the applicant did not come (爽约), once the slot has begun.
    ///
    /// # Errors
    /// `FORBIDDEN` unless a window of the booking's department; `INVALID_STATE` unless booked
    /// and begun; `NOT_FOUND`.
    pub async fn record_missed_appointment(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<crate::views::AppointmentView> {
        actor.require(Role::Window, "recording a missed booking")?;
        let now = self.now();
        let (_gate, txn) = self.begin_write().await?;
        let booking = lock(&txn, id).await?;
        may_handle(&txn, actor, &booking.clone().into()).await?;
        if booking.status != AppointmentStatus::Booked || booking.slot_start.is_none_or(|s| s > now)
        {
            return Err(Error::InvalidState(
                "only a booked slot that has begun can be recorded as missed".to_owned(),
            ));
        }
        let missed = missed_in(&txn, &booking, Some(actor.staff_id), now).await?;
        txn.commit().await?;
        Ok(crate::views::AppointmentView::from(missed))
    }

    /// Calls a booking off; the applicant is told why.
    ///
    /// # Errors
    /// `FORBIDDEN` unless a window of the booking's department or `CENTER_ADMIN`;
    /// `INVALID_INPUT` without a reason; `INVALID_STATE` once received, missed or cancelled.
    pub async fn cancel_appointment(
        &self,
        actor: &Actor,
        id: Uuid,
        reason: &str,
    ) -> Result<crate::views::AppointmentView> {
        let reason = validate::required("reason", reason, validate::MAX_TEXT)?;
        let now = self.now();
        let (_gate, txn) = self.begin_write().await?;
        let booking = lock(&txn, id).await?;
        if !actor.has(Role::CenterAdmin) {
            actor.require(Role::Window, "calling off a booking")?;
            may_handle(&txn, actor, &booking.clone().into()).await?;
        }
        if !matches!(
            booking.status,
            AppointmentStatus::Booked | AppointmentStatus::Requested
        ) {
            return Err(Error::InvalidState(format!(
                "this booking is {:?}",
                booking.status
            )));
        }
        let matter = matter::Entity::find_by_id(booking.matter_id)
            .one(&txn)
            .await?
            .ok_or_else(|| Error::Internal("appointment matter".into()))?;
        let mut active = booking.clone().into_active_model();
        active.status = Set(AppointmentStatus::Cancelled);
        active.handled_by = Set(Some(actor.staff_id));
        active.handled_at = Set(Some(now));
        active.updated_at = Set(now);
        let cancelled = active.update(&txn).await?;
        outbox::enqueue(
            &txn,
            now,
            NewMessage {
                message_id: format!("appointment-{}-cancelled", booking.id),
                recipient_id: None,
                recipient_email: booking.applicant_email.clone(),
                mail: Mail::AppointmentCancelled(AppointmentCancelled {
                    code: booking.code.clone(),
                    matter: matter.name.clone(),
                    applicant: booking.applicant_name.clone(),
                    slot_start: booking.slot_start,
                    day: super::requested_day(&booking)?,
                    reason: reason.clone(),
                }),
            },
        )
        .await?;
        events::record(
            &txn,
            now,
            vec![
                NewEvent::system(EventKind::AppointmentCancelled)
                    .by(actor.staff_id)
                    .before(json!({ "status": booking.status }))
                    .after(json!({ "appointmentId": booking.id, "status": cancelled.status, "reason": reason })),
            ],
        )
        .await?;
        txn.commit().await?;
        Ok(crate::views::AppointmentView::from(cancelled))
    }
}

use super::reads::may_handle;

/// Marks a booking missed inside the caller's transaction, with its event.
pub(crate) async fn missed_in<C: ConnectionTrait>(
    txn: &C,
    booking: &appointment::Model,
    by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<appointment::Model> {
    let mut active = booking.clone().into_active_model();
    active.status = Set(AppointmentStatus::Missed);
    active.handled_by = Set(by);
    active.handled_at = Set(Some(now));
    active.updated_at = Set(now);
    let missed = active.update(txn).await?;
    let mut event = NewEvent::system(EventKind::AppointmentMissed).after(json!({
        "appointmentId": booking.id, "code": booking.code, "slotStart": booking.slot_start,
        "automatic": by.is_none(),
    }));
    event.actor_id = by;
    events::record(txn, now, vec![event]).await?;
    Ok(missed)
}
