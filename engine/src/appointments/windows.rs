//! 服务窗口 — the centre admin sets up the windows that take appointments: their department,
//! place, office hours (empty for the centre's), slot length, places per slot and whether they
//! make home visits — and the slots that follow from them. Bookings already made keep theirs.

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use chrono::{DateTime, NaiveDate, Utc};
use lianban_entity::{AppointmentStatus, appointment};
use lianban_entity::{department, service_window};
use lianban_rules::appointments as slots;
use lianban_rules::calendar::OfficeHours;
use lianban_rules::policy::Actor;
use lianban_rules::roles::Role;
use lianban_rules::validate;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, IntoActiveModel};
use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
use serde_json::json;
use std::collections::HashMap;
use uuid::Uuid;

/// A window as the centre admin writes it.
#[derive(Debug, Clone)]
pub struct SaveWindow {
    /// Empty for a new window.
    pub id: Option<Uuid>,
    pub department_id: Uuid,
    pub name: String,
    pub location: String,
    /// `HH:MM-HH:MM` periods; empty for the centre's office hours.
    pub office_hours: Vec<String>,
    pub slot_minutes: i32,
    pub capacity: i32,
    pub home_visits: bool,
    pub active: bool,
}

/// A window's office hours: its own, or the centre's when it sets none.
///
/// # Errors
/// `INTERNAL` when the stored hours are not a list of periods.
pub(crate) fn hours_of(
    window: impl Into<crate::views::ServiceWindowView>,
    centre: &OfficeHours,
) -> Result<OfficeHours> {
    let window = window.into();
    slots::hours_of(&window.office_hours, centre)
        .map_err(|e| Error::Internal(format!("window {} hours: {e}", window.id)))
}

impl Engine {
    /// Every active service window, by department then name.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn service_windows(
        &self,
        include_inactive: bool,
    ) -> Result<Vec<crate::views::ServiceWindowView>> {
        let mut query = service_window::Entity::find();
        if !include_inactive {
            query = query.filter(service_window::Column::Active.eq(true));
        }
        Ok(query
            .order_by_asc(service_window::Column::DepartmentId)
            .order_by_asc(service_window::Column::Name)
            .all(self.db())
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Creates or changes a service window.
    ///
    /// # Errors
    /// `FORBIDDEN` unless `CENTER_ADMIN`; `INVALID_INPUT` for an empty name, malformed hours, a
    /// slot outside 5–240 minutes or places outside 1–50; `NOT_FOUND` for an unknown window or
    /// department.
    pub async fn save_service_window(
        &self,
        actor: &Actor,
        input: SaveWindow,
    ) -> Result<crate::views::ServiceWindowView> {
        actor.require(Role::CenterAdmin, "setting up a service window")?;
        let name = validate::required("name", &input.name, validate::MAX_NAME)?;
        let location = validate::required("location", &input.location, validate::MAX_NAME)?;
        let hours = validate::list("officeHours", &input.office_hours, validate::MAX_SHORT)?;
        if !hours.is_empty() {
            OfficeHours::parse(&hours).map_err(|e| Error::invalid("officeHours", e.to_string()))?;
        }
        if !(5..=240).contains(&input.slot_minutes) {
            return Err(Error::invalid("slotMinutes", "must be 5..=240"));
        }
        if !(1..=50).contains(&input.capacity) {
            return Err(Error::invalid("capacity", "must be 1..=50"));
        }
        let now = self.now();
        let (_gate, txn) = self.begin_write().await?;
        let owner = department::Entity::find_by_id(input.department_id)
            .one(&txn)
            .await?
            .ok_or_else(|| Error::not_found(format!("department {}", input.department_id)))?;
        if !owner.active && input.active {
            return Err(Error::InvalidState(format!(
                "{} is deactivated: a window of its own cannot take appointments",
                owner.name
            )));
        }
        let before = match input.id {
            Some(id) => Some(
                service_window::Entity::find_by_id(id)
                    .one(&txn)
                    .await?
                    .ok_or_else(|| Error::not_found(format!("service window {id}")))?,
            ),
            None => None,
        };
        let saved = match before.clone() {
            Some(row) => {
                let mut active = row.into_active_model();
                active.department_id = Set(input.department_id);
                active.name = Set(name);
                active.location = Set(location);
                active.office_hours = Set(json!(hours));
                active.slot_minutes = Set(input.slot_minutes);
                active.capacity = Set(input.capacity);
                active.home_visits = Set(input.home_visits);
                active.active = Set(input.active);
                active.centre_id = Set(owner.centre_id);
                active.update(&txn).await?
            }
            None => {
                service_window::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    department_id: Set(input.department_id),
                    name: Set(name),
                    location: Set(location),
                    office_hours: Set(json!(hours)),
                    slot_minutes: Set(input.slot_minutes),
                    capacity: Set(input.capacity),
                    home_visits: Set(input.home_visits),
                    active: Set(input.active),
                    version: Set(0),
                    created_at: Set(now),
                    centre_id: Set(owner.centre_id),
                }
                .insert(&txn)
                .await?
            }
        };
        let describe = |w: &service_window::Model| {
            json!({
                "windowId": w.id, "departmentId": w.department_id, "name": w.name,
                "officeHours": w.office_hours, "slotMinutes": w.slot_minutes,
                "capacity": w.capacity, "homeVisits": w.home_visits, "active": w.active,
            })
        };
        let mut event = NewEvent::system(EventKind::ServiceWindowSaved)
            .by(actor.staff_id)
            .after(describe(&saved));
        if let Some(b) = &before {
            event = event.before(describe(b));
        }
        events::record(&txn, now, vec![event]).await?;
        txn.commit().await?;
        Ok(crate::views::ServiceWindowView::from(saved))
    }

    /// The slots of a window from `from` for `days` days, with what is booked.
    ///
    /// # Errors
    /// `NOT_FOUND` for an unknown window; `INVALID_INPUT` for a span outside 1..=31 days.
    pub async fn appointment_slots(
        &self,
        window_id: Uuid,
        from: NaiveDate,
        days: i64,
    ) -> Result<(crate::views::ServiceWindowView, Vec<slots::Slot>)> {
        if !(1..=31).contains(&days) {
            return Err(Error::invalid("days", "must be 1..=31"));
        }
        let window = self
            .service_window(window_id)
            .await?
            .filter(|w| w.active)
            .ok_or_else(|| Error::not_found(format!("service window {window_id}")))?;
        let calendar = self.sync_calendar().await?;
        let hours = hours_of(window.clone(), calendar.hours())?;
        let last = from
            .checked_add_days(chrono::Days::new(days.unsigned_abs()))
            .ok_or_else(|| Error::invalid("from", "is outside the calendar"))?;
        let start = calendar.instant(from, chrono::NaiveTime::MIN);
        let end = calendar.instant(last, chrono::NaiveTime::MIN);
        let mut booked: HashMap<DateTime<Utc>, i32> = HashMap::new();
        for a in appointment::Entity::find()
            .filter(appointment::Column::WindowId.eq(window.id))
            .filter(appointment::Column::SlotStart.gte(start))
            .filter(appointment::Column::SlotStart.lt(end))
            .filter(
                appointment::Column::Status
                    .is_in([AppointmentStatus::Booked, AppointmentStatus::Received]),
            )
            .all(self.db())
            .await?
        {
            if let Some(at) = a.slot_start {
                *booked.entry(at).or_default() += 1;
            }
        }
        let list = slots::slots(
            &calendar,
            &hours,
            window.slot_minutes,
            window.capacity,
            from,
            days,
            &booked,
        );
        Ok((window, list))
    }
}
