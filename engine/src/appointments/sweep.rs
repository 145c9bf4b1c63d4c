//! The appointments' share of each tick: reminders due (the opening of the working day before
//! the slot) are mailed once, and bookings nobody came to are recorded as missed once their slot
//! has been over for [`MISSED_AFTER_MINUTES`]; online bookings never confirmed lapse. Each booking is claimed by its own conditional
//! update, so two workers never remind or mark one twice.

use super::missed_in;
use crate::engine::Engine;
use crate::error::Result;
use crate::events::{self, EventKind, NewEvent};
use crate::mail::outbox::{self, NewMessage};
use chrono::{DateTime, Duration, Utc};
use lianban_entity::{AppointmentStatus, appointment, matter, service_window};
use lianban_rules::mail::{AppointmentReminder, Mail};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

/// Minutes after a slot's end before a booking nobody came to is recorded as missed.
pub const MISSED_AFTER_MINUTES: i64 = 30;
/// Bookings handled per run.
const BATCH: u64 = 500;

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AppointmentSweep {
    pub reminded: u64,
    pub missed: u64,
    /// Online bookings whose code expired unconfirmed.
    pub lapsed: u64,
}

impl Engine {
    /// Reminds the bookings due a reminder at `now` and records the missed ones.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault (what was claimed in the failed transaction is redone).
    pub async fn sweep_appointments(&self, now: DateTime<Utc>) -> Result<AppointmentSweep> {
        let mut outcome = AppointmentSweep {
            lapsed: self.lapse_unconfirmed(now).await?,
            ..AppointmentSweep::default()
        };
        let due = appointment::Entity::find()
            .filter(appointment::Column::Status.eq(AppointmentStatus::Booked))
            .filter(appointment::Column::RemindAt.lte(now))
            .filter(appointment::Column::RemindedAt.is_null())
            .order_by_asc(appointment::Column::RemindAt)
            .limit(BATCH)
            .all(self.db())
            .await?;
        for a in due {
            let (_gate, txn) = self.begin_write().await?;
            let claimed = appointment::Entity::update_many()
                .col_expr(appointment::Column::RemindedAt, Expr::value(Some(now)))
                .filter(appointment::Column::Id.eq(a.id))
                .filter(appointment::Column::RemindedAt.is_null())
                .filter(appointment::Column::Status.eq(AppointmentStatus::Booked))
                .exec(&txn)
                .await?;
            if claimed.rows_affected == 0 {
                txn.rollback().await?;
                continue;
            }
            let matter = matter::Entity::find_by_id(a.matter_id).one(&txn).await?;
            let window = match a.window_id {
                Some(id) => service_window::Entity::find_by_id(id).one(&txn).await?,
                None => None,
            };
            outbox::enqueue(
                &txn,
                now,
                NewMessage {
                    message_id: format!("appointment-{}-reminder", a.id),
                    recipient_id: None,
                    recipient_email: a.applicant_email.clone(),
                    mail: Mail::AppointmentReminder(AppointmentReminder {
                        code: a.code.clone(),
                        kind: a.kind.domain(),
                        matter: matter.map(|m| m.name),
                        applicant: a.applicant_name.clone(),
                        slot_start: a.slot_start,
                        slot_end: a.slot_end,
                        window: window.as_ref().map(|w| w.name.clone()),
                        location: window.map(|w| w.location),
                        address: a.address.clone(),
                    }),
                },
            )
            .await?;
            events::record(
                &txn,
                now,
                vec![NewEvent::system(EventKind::AppointmentReminded).after(
                    json!({ "appointmentId": a.id, "code": a.code, "slotStart": a.slot_start }),
                )],
            )
            .await?;
            txn.commit().await?;
            outcome.reminded += 1;
        }
        let over = now - Duration::minutes(MISSED_AFTER_MINUTES);
        let missed = appointment::Entity::find()
            .filter(appointment::Column::Status.eq(AppointmentStatus::Booked))
            .filter(appointment::Column::SlotEnd.lte(over))
            .order_by_asc(appointment::Column::SlotEnd)
            .limit(BATCH)
            .all(self.db())
            .await?;
        for a in missed {
            let (_gate, txn) = self.begin_write().await?;
            let claimed = appointment::Entity::update_many()
                .col_expr(appointment::Column::UpdatedAt, Expr::value(now))
                .filter(appointment::Column::Id.eq(a.id))
                .filter(appointment::Column::Status.eq(AppointmentStatus::Booked))
                .exec(&txn)
                .await?;
            if claimed.rows_affected == 0 {
                txn.rollback().await?;
                continue;
            }
            missed_in(&txn, &a, None, now).await?;
            txn.commit().await?;
            outcome.missed += 1;
        }
        Ok(outcome)
    }
}
