//! 网上预约的防滥用 — what an online booking (or holiday request), made without signing in,
//! draws on: each day's allowances per network address, phone and mailbox, and the six-digit
//! code mailed to the address given, which the booking holds nothing until entered (see
//! `confirm`).

use super::Who;
use crate::access::hash_password;
use crate::engine::Engine;
use crate::error::Result;
use crate::events::{self, EventKind, NewEvent};
use crate::mail::outbox::{self, NewMessage};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use chrono::{DateTime, Duration, Utc};
use lianban_entity::{AppointmentStatus, appointment, matter, service_window};
use lianban_rules::mail::{AppointmentCode, Mail};
use lianban_rules::throttle::DailyLimit;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde_json::json;

use super::confirm::CONFIRM_MINUTES;

/// Online requests per day from one network address.
pub const PER_ADDRESS: DailyLimit = DailyLimit { per_day: 10 };
/// Online requests per day for one phone number.
pub const PER_PHONE: DailyLimit = DailyLimit { per_day: 3 };
/// Online requests per day to one mailbox.
pub const PER_MAILBOX: DailyLimit = DailyLimit { per_day: 3 };

/// A six-digit code.
fn new_code() -> String {
    format!("{:06}", OsRng.next_u32() % 1_000_000)
}

/// The allowances an online request draws on.
fn allowances(
    address: Option<&str>,
    phone: &str,
    email: &str,
) -> Vec<(String, DailyLimit, &'static str)> {
    vec![
        (
            format!("booking:address:{}", address.unwrap_or("-")),
            PER_ADDRESS,
            "from one network address",
        ),
        (
            // Spaces, dashes and a country code do not make another phone.
            format!(
                "booking:phone:{}",
                phone
                    .chars()
                    .filter(char::is_ascii_digit)
                    .collect::<String>()
                    .trim_start_matches("86")
            ),
            PER_PHONE,
            "for one phone",
        ),
        (
            format!("booking:mailbox:{}", email.to_lowercase()),
            PER_MAILBOX,
            "to one mailbox",
        ),
    ]
}

/// What an online request leaves pending: its row (status `PENDING`) and the code's mail.
pub(crate) struct Pending {
    pub row: appointment::ActiveModel,
    code: String,
}

impl Pending {
    /// Turns a fresh row into a pending one with a code valid until `now` + [`CONFIRM_MINUTES`].
    ///
    /// # Errors
    /// `INTERNAL` when the code cannot be hashed.
    pub fn new(mut row: appointment::ActiveModel, now: DateTime<Utc>) -> Result<Self> {
        let code = new_code();
        row.status = Set(AppointmentStatus::Pending);
        row.confirmation_code_hash = Set(Some(hash_password(&code)?));
        row.confirmation_attempts = Set(0);
        row.confirm_by = Set(Some(now + Duration::minutes(CONFIRM_MINUTES)));
        Ok(Pending { row, code })
    }

    /// Stores the row, its event and the code's mail.
    pub async fn write<C: ConnectionTrait>(
        self,
        txn: &C,
        matter: &matter::Model,
        window: Option<&service_window::Model>,
        now: DateTime<Utc>,
    ) -> Result<crate::views::AppointmentView> {
        let pending = appointment::Entity::insert(self.row)
            .exec_with_returning(txn)
            .await?;
        outbox::enqueue(
            txn,
            now,
            NewMessage {
                message_id: format!("appointment-{}-code", pending.id),
                recipient_id: None,
                recipient_email: pending.applicant_email.clone(),
                mail: Mail::AppointmentCode(AppointmentCode {
                    code: pending.code.clone(),
                    kind: pending.kind.domain(),
                    matter: matter.name.clone(),
                    confirmation_code: self.code,
                    valid_minutes: CONFIRM_MINUTES,
                    slot_start: pending.slot_start,
                    slot_end: pending.slot_end,
                    window: window.map(|w| w.name.clone()),
                    location: window.map(|w| w.location.clone()),
                    day: super::requested_day(&pending)?,
                }),
            },
        )
        .await?;
        events::record(
            txn,
            now,
            vec![
                NewEvent::system(EventKind::AppointmentPending).after(json!({
                    "appointmentId": pending.id, "code": pending.code, "kind": pending.kind,
                    "matter": matter.code, "slotStart": pending.slot_start,
                    "day": pending.requested_day, "confirmBy": pending.confirm_by,
                })),
            ],
        )
        .await?;
        Ok(crate::views::AppointmentView::from(pending))
    }
}

impl Engine {
    /// Counts an online request from `address` for `phone` and `email` against the day's
    /// allowances (inside the caller's transaction: refused or rolled back, nothing counts).
    ///
    /// # Errors
    /// `FORBIDDEN` with `retryAfterSeconds` once an allowance is used up.
    pub(crate) async fn claim_online_request<C: ConnectionTrait>(
        &self,
        txn: &C,
        address: Option<&str>,
        who: &Who,
    ) -> Result<()> {
        let keys = allowances(address, &who.applicant.phone, &who.email);
        self.claim_daily(txn, &keys).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits() {
        for _ in 0..100 {
            let code = new_code();
            assert_eq!(code.len(), 6);
            assert!(code.chars().all(|c| c.is_ascii_digit()));
        }
    }

    #[test]
    fn each_online_request_draws_on_its_address_phone_and_mailbox() {
        let keys = allowances(Some("203.0.113.9"), "+86 138-0013-8000", "Li@Example.cn");
        let names: Vec<&str> = keys.iter().map(|(k, _, _)| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "booking:address:203.0.113.9",
                "booking:phone:13800138000",
                "booking:mailbox:li@example.cn"
            ]
        );
    }
}
