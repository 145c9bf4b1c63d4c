//! 日历缺年 — telling the centre admins when deadlines run into a year whose holiday schedule
//! has not been entered.

use crate::engine::Engine;
use crate::error::Result;
use crate::events::{self, EventKind, NewEvent};
use crate::mail::outbox::{self, NewMessage};
use chrono::{DateTime, Utc};
use lianban_entity::staff;
use lianban_rules::mail::{CalendarYearMissing, Mail};
use lianban_rules::roles::Role;
use sea_orm::ConnectionTrait;
use serde_json::json;

impl Engine {
    /// Tells every centre admin, once per year, that deadlines run into a year whose holiday
    /// schedule has not been entered.
    pub(crate) async fn warn_missing_years<C: ConnectionTrait>(
        &self,
        txn: &C,
        now: DateTime<Utc>,
        years: &[i32],
    ) -> Result<()> {
        let admins: Vec<staff::Model> = crate::people::holders_of(txn, Role::CenterAdmin).await?;
        for &year in years {
            let mut first = false;
            for admin in &admins {
                first |= outbox::enqueue(
                    txn,
                    now,
                    NewMessage {
                        message_id: format!("calendar-missing-{year}-{}", admin.id),
                        recipient_id: Some(admin.id),
                        recipient_email: admin.email.clone(),
                        mail: Mail::CalendarYearMissing(CalendarYearMissing { year }),
                    },
                )
                .await?;
            }
            if first {
                events::record(
                    txn,
                    now,
                    vec![
                        NewEvent::system(EventKind::CalendarYearMissing)
                            .after(json!({ "year": year })),
                    ],
                )
                .await?;
            }
        }
        Ok(())
    }
}
