//! 预约确认 — an online booking (or holiday request) holds nothing until the applicant enters
//! the code mailed to the address they gave (the code and the day's allowances: `online`); a
//! booking made by window staff needs no code (the applicant is in front of them or on the
//! phone). Bookings never confirmed, or confirmed too late for a slot now full, lapse.

use super::{confirmation, lock};
use crate::access::verify_password;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use crate::mail::outbox;
use chrono::{DateTime, Utc};
use lianban_entity::{AppointmentKind, AppointmentStatus, appointment, matter, service_window};
use lianban_rules::validate;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter,
};
use serde_json::json;
use uuid::Uuid;

/// Minutes an emailed code stays valid; the booking lapses after.
pub const CONFIRM_MINUTES: i64 = 30;
/// Wrong codes before the booking lapses.
pub const MAX_CODE_ATTEMPTS: i32 = 5;
/// The reminder instant of a booked slot: the opening of the working day before it.
pub(crate) fn remind_at(
    calendar: &lianban_rules::calendar::WorkingCalendar,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    calendar
        .working_day_before(calendar.local_date(start))
        .map(|d| calendar.instant(d, calendar.hours().opening()))
        .filter(|at| *at > now)
}

/// The outcome of a code entered.
enum Verdict {
    Good,
    Wrong { left: i32 },
    Lapsed(&'static str),
}

fn judge(a: &appointment::Model, code: &str, now: DateTime<Utc>) -> Verdict {
    if a.status == AppointmentStatus::Lapsed {
        return Verdict::Lapsed("this booking has lapsed; book again");
    }
    if a.status == AppointmentStatus::Pending && a.confirm_by.is_some_and(|by| by <= now) {
        return Verdict::Lapsed("the code has expired and the booking lapsed; book again");
    }
    let good = a
        .confirmation_code_hash
        .as_deref()
        .is_some_and(|hash| verify_password(hash, code));
    if good {
        Verdict::Good
    } else {
        Verdict::Wrong {
            left: MAX_CODE_ATTEMPTS - a.confirmation_attempts - 1,
        }
    }
}

impl Engine {
    /// 确认预约 — the applicant enters the code mailed to them: the booking now holds its slot
    /// (a holiday request now goes to the duty officer), and the confirmation is mailed. The same
    /// code again returns the confirmed booking.
    ///
    /// # Errors
    /// `INVALID_INPUT` for a wrong code (after [`MAX_CODE_ATTEMPTS`] the booking lapses);
    /// `INVALID_STATE` for a lapsed booking; `CONFLICT` when the slot filled up meanwhile (the
    /// booking lapses); `NOT_FOUND`.
    pub async fn confirm_appointment(
        &self,
        id: Uuid,
        code: &str,
    ) -> Result<crate::views::AppointmentView> {
        let code = validate::required("confirmationCode", code, validate::MAX_SHORT)?;
        let now = self.now();
        let calendar = self.sync_calendar().await?;
        let (_gate, txn) = self.begin_write().await?;
        let booking = lock(&txn, id).await?;
        let verdict = {
            let (booking, code) = (booking.clone(), code.clone());
            tokio::task::spawn_blocking(move || judge(&booking, &code, now))
                .await
                .map_err(|e| Error::Internal(format!("code check: {e}")))?
        };
        match verdict {
            Verdict::Lapsed(why) => {
                if booking.status == AppointmentStatus::Pending {
                    lapse_in(&txn, &booking, now, "expired").await?;
                    txn.commit().await?;
                }
                return Err(Error::InvalidState(why.to_owned()));
            }
            Verdict::Wrong { left } => {
                if booking.status != AppointmentStatus::Pending {
                    return Err(Error::invalid(
                        "confirmationCode",
                        "is not this booking's code",
                    ));
                }
                let mut active = booking.clone().into_active_model();
                active.confirmation_attempts = Set(booking.confirmation_attempts + 1);
                active.updated_at = Set(now);
                let updated = active.update(&txn).await?;
                if left <= 0 {
                    lapse_in(&txn, &updated, now, "too many wrong codes").await?;
                    txn.commit().await?;
                    return Err(Error::invalid(
                        "confirmationCode",
                        "is wrong; too many wrong codes, so the booking lapsed: book again",
                    ));
                }
                txn.commit().await?;
                return Err(Error::invalid(
                    "confirmationCode",
                    format!("is wrong; {left} more tries before the booking lapses"),
                ));
            }
            Verdict::Good if booking.status != AppointmentStatus::Pending => {
                txn.rollback().await?;
                return Ok(crate::views::AppointmentView::from(booking));
            }
            Verdict::Good => {}
        }
        let matter = matter::Entity::find_by_id(booking.matter_id)
            .one(&txn)
            .await?
            .ok_or_else(|| Error::Internal("appointment matter".into()))?;
        let confirmed = if booking.kind == AppointmentKind::Holiday {
            let mut active = booking.clone().into_active_model();
            active.status = Set(AppointmentStatus::Requested);
            active.updated_at = Set(now);
            let request = active.update(&txn).await?;
            self.tell_duty_officers(&txn, &request, &matter, None, now)
                .await?;
            request
        } else {
            let window_id = booking
                .window_id
                .ok_or_else(|| Error::Internal("a booking without its window".into()))?;
            service_window::Entity::update_many()
                .col_expr(
                    service_window::Column::Version,
                    Expr::col(service_window::Column::Version).add(1),
                )
                .filter(service_window::Column::Id.eq(window_id))
                .exec(&txn)
                .await?;
            let window = service_window::Entity::find_by_id(window_id)
                .one(&txn)
                .await?
                .ok_or_else(|| Error::not_found(format!("service window {window_id}")))?;
            let start = booking
                .slot_start
                .ok_or_else(|| Error::Internal("a booking without its slot".into()))?;
            let taken = taken_in_slot(&txn, window.id, start).await?;
            if taken >= i64::from(window.capacity) {
                lapse_in(&txn, &booking, now, "slot full").await?;
                txn.commit().await?;
                return Err(Error::Conflict(format!(
                    "this slot of {} filled up before the booking was confirmed; choose another",
                    window.name
                )));
            }
            let mut active = booking.clone().into_active_model();
            active.status = Set(AppointmentStatus::Booked);
            active.remind_at = Set(remind_at(&calendar, start, now));
            active.updated_at = Set(now);
            let booked = active.update(&txn).await?;
            events::record(
                &txn,
                now,
                vec![NewEvent::system(EventKind::AppointmentBooked).after(json!({
                    "appointmentId": booked.id, "code": booked.code, "kind": booked.kind,
                    "windowId": window.id, "matter": matter.code, "slotStart": start,
                    "remindAt": booked.remind_at, "confirmed": true,
                }))],
            )
            .await?;
            outbox::enqueue(
                &txn,
                now,
                confirmation(&booked, &matter.name, Some(&window)),
            )
            .await?;
            booked
        };
        txn.commit().await?;
        Ok(crate::views::AppointmentView::from(confirmed))
    }

    /// Lapses the online bookings whose code expired by `now` (the sweep's share).
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn lapse_unconfirmed(&self, now: DateTime<Utc>) -> Result<u64> {
        let expired = appointment::Entity::find()
            .filter(appointment::Column::Status.eq(AppointmentStatus::Pending))
            .filter(appointment::Column::ConfirmBy.lte(now))
            .all(self.db())
            .await?;
        let mut lapsed = 0;
        for a in expired {
            let (_gate, txn) = self.begin_write().await?;
            let claimed = appointment::Entity::update_many()
                .col_expr(appointment::Column::UpdatedAt, Expr::value(now))
                .filter(appointment::Column::Id.eq(a.id))
                .filter(appointment::Column::Status.eq(AppointmentStatus::Pending))
                .exec(&txn)
                .await?;
            if claimed.rows_affected == 0 {
                txn.rollback().await?;
                continue;
            }
            lapse_in(&txn, &a, now, "expired").await?;
            txn.commit().await?;
            lapsed += 1;
        }
        Ok(lapsed)
    }
}

/// Places of a slot held by bookings (confirmed or already received).
async fn taken_in_slot<C: ConnectionTrait>(
    txn: &C,
    window_id: Uuid,
    start: DateTime<Utc>,
) -> Result<i64> {
    use sea_orm::PaginatorTrait;
    let n = appointment::Entity::find()
        .filter(appointment::Column::WindowId.eq(window_id))
        .filter(appointment::Column::SlotStart.eq(start))
        .filter(
            appointment::Column::Status
                .is_in([AppointmentStatus::Booked, AppointmentStatus::Received]),
        )
        .count(txn)
        .await?;
    Ok(i64::try_from(n).unwrap_or(i64::MAX))
}

/// Marks a pending booking lapsed, with its event.
async fn lapse_in<C: ConnectionTrait>(
    txn: &C,
    booking: &appointment::Model,
    now: DateTime<Utc>,
    why: &str,
) -> Result<()> {
    appointment::Entity::update_many()
        .col_expr(
            appointment::Column::Status,
            Expr::value(AppointmentStatus::Lapsed),
        )
        .col_expr(appointment::Column::UpdatedAt, Expr::value(now))
        .filter(appointment::Column::Id.eq(booking.id))
        .exec(txn)
        .await?;
    events::record(
        txn,
        now,
        vec![NewEvent::system(EventKind::AppointmentLapsed).after(json!({
            "appointmentId": booking.id, "code": booking.code, "why": why,
        }))],
    )
    .await
}
