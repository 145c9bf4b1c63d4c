//! 值班 — the duty roster: who is on duty each day, weekends and holidays included, set by the
//! centre admin. The duty officer hears the holiday service requests (`appointments`) and the
//! escalations that fire while the centre is closed (黄牌/红牌 after hours, `escalation`). A
//! coming day with nobody on duty alerts the centre admins once, from the opening of the
//! working day before it (`check_duty_gaps`, run each tick).

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use crate::mail::outbox::{self, NewMessage};
use chrono::{DateTime, Days, NaiveDate, Utc};
use lianban_entity::{duty_alert, duty_roster, staff};
use lianban_rules::calendar::{WorkingCalendar, local_date};
use lianban_rules::mail::{DutyAssigned, DutyGap, GapDay, Mail};
use lianban_rules::policy::Actor;
use lianban_rules::roles::Role;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;
use std::collections::BTreeMap;
use uuid::Uuid;

/// How far ahead the gap check looks, in days.
pub const GAP_HORIZON_DAYS: u64 = 14;
/// The longest span the roster is read for at once, in days.
pub const MAX_ROSTER_DAYS: i64 = 62;

/// The stored form of a day.
pub fn day_key(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// A day's duty officers.
#[derive(Debug, Clone)]
pub struct DutyDay {
    pub day: NaiveDate,
    pub officers: Vec<crate::views::StaffView>,
}

/// When a coming day's empty roster is alerted: the opening of the working day before it.
pub fn gap_alert_at(calendar: &WorkingCalendar, day: NaiveDate) -> Option<DateTime<Utc>> {
    let before = calendar.working_day_before(day)?;
    Some(calendar.instant(before, calendar.hours().opening()))
}

/// The staff on duty on `day`, in the order they were set.
///
/// # Errors
/// `INTERNAL` on a database fault.
pub(crate) async fn officers_on<C: ConnectionTrait>(
    db: &C,
    day: NaiveDate,
) -> Result<Vec<staff::Model>> {
    let ids: Vec<Uuid> = duty_roster::Entity::find()
        .filter(duty_roster::Column::Day.eq(day_key(day)))
        .order_by_asc(duty_roster::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.staff_id)
        .collect();
    let mut people = staff::Entity::find()
        .filter(staff::Column::Id.is_in(ids.clone()))
        .filter(staff::Column::Active.eq(true))
        .all(db)
        .await?;
    people.sort_by_key(|p| ids.iter().position(|i| *i == p.id));
    Ok(people)
}

impl Engine {
    /// Sets who is on duty on `day` (replacing the day's roster); each new officer is told.
    ///
    /// # Errors
    /// `FORBIDDEN` unless `CENTER_ADMIN`; `INVALID_INPUT` for a past day, too many officers, or a
    /// staff member twice; `NOT_FOUND` for an unknown or inactive staff member.
    pub async fn set_duty(
        &self,
        actor: &Actor,
        day: NaiveDate,
        staff_ids: &[Uuid],
    ) -> Result<DutyDay> {
        actor.require(Role::CenterAdmin, "setting the duty roster")?;
        let now = self.now();
        if day < local_date(now) {
            return Err(Error::invalid("day", "is in the past"));
        }
        if staff_ids.len() > 10 {
            return Err(Error::invalid("staffIds", "at most 10 officers a day"));
        }
        let unique = staff_ids.to_vec();
        let mut sorted = unique.clone();
        sorted.sort();
        sorted.dedup();
        if sorted.len() != unique.len() {
            return Err(Error::invalid("staffIds", "a staff member is listed twice"));
        }
        let (_gate, txn) = self.begin_write().await?;
        let people = staff::Entity::find()
            .filter(staff::Column::Id.is_in(unique.clone()))
            .filter(staff::Column::Active.eq(true))
            .all(&txn)
            .await?;
        if let Some(missing) = unique
            .iter()
            .find(|id| !people.iter().any(|p| p.id == **id))
        {
            return Err(Error::not_found(format!("staff member {missing}")));
        }
        let before: Vec<Uuid> = officers_on(&txn, day).await?.iter().map(|p| p.id).collect();
        duty_roster::Entity::delete_many()
            .filter(duty_roster::Column::Day.eq(day_key(day)))
            .exec(&txn)
            .await?;
        if !unique.is_empty() {
            duty_roster::Entity::insert_many(unique.iter().map(|id| duty_roster::ActiveModel {
                id: Set(Uuid::now_v7()),
                day: Set(day_key(day)),
                staff_id: Set(*id),
                assigned_by: Set(actor.staff_id),
                assigned_at: Set(now),
            }))
            .exec_without_returning(&txn)
            .await?;
            // Staffed again: a later gap on this day alerts afresh.
            duty_alert::Entity::delete_many()
                .filter(duty_alert::Column::Day.eq(day_key(day)))
                .exec(&txn)
                .await?;
        }
        events::record(
            &txn,
            now,
            vec![
                NewEvent::system(EventKind::DutyRosterSet)
                    .by(actor.staff_id)
                    .before(json!({ "day": day_key(day), "staffIds": before }))
                    .after(json!({ "day": day_key(day), "staffIds": unique })),
            ],
        )
        .await?;
        let messages = people
            .iter()
            .filter(|p| !before.contains(&p.id))
            .map(|p| NewMessage {
                message_id: format!("duty-{}-{}-{}", day_key(day), p.id, now.timestamp()),
                recipient_id: Some(p.id),
                recipient_email: p.email.clone(),
                mail: Mail::DutyAssigned(DutyAssigned { day }),
            })
            .collect();
        outbox::enqueue_many(&txn, now, messages).await?;
        txn.commit().await?;
        let mut officers = people
            .into_iter()
            .map(TryInto::try_into)
            .collect::<Result<Vec<crate::views::StaffView>>>()?;
        officers.sort_by_key(|p| unique.iter().position(|i| *i == p.id));
        Ok(DutyDay { day, officers })
    }

    /// The roster from `from` for `days` days (every day listed, empty ones too).
    ///
    /// # Errors
    /// `INVALID_INPUT` for a span outside 1..=62 days.
    pub async fn duty_roster(&self, from: NaiveDate, days: i64) -> Result<Vec<DutyDay>> {
        if !(1..=MAX_ROSTER_DAYS).contains(&days) {
            return Err(Error::invalid(
                "days",
                format!("must be 1..={MAX_ROSTER_DAYS}"),
            ));
        }
        let to = from
            .checked_add_days(Days::new(days.unsigned_abs()))
            .ok_or_else(|| Error::invalid("from", "is outside the calendar"))?;
        let rows = duty_roster::Entity::find()
            .filter(duty_roster::Column::Day.gte(day_key(from)))
            .filter(duty_roster::Column::Day.lt(day_key(to)))
            .order_by_asc(duty_roster::Column::Id)
            .all(self.db())
            .await?;
        let people: BTreeMap<Uuid, staff::Model> = staff::Entity::find()
            .filter(staff::Column::Id.is_in(rows.iter().map(|r| r.staff_id)))
            .all(self.db())
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
        (0..days)
            .map(|n| {
                let day = from + chrono::Duration::days(n); // within `to`, checked above
                let officers = rows
                    .iter()
                    .filter(|r| r.day == day_key(day))
                    .filter_map(|r| people.get(&r.staff_id).cloned())
                    .map(TryInto::try_into)
                    .collect::<Result<_>>()?;
                Ok(DutyDay { day, officers })
            })
            .collect()
    }

    /// Alerts the centre admins, once per day, of every coming day (today through
    /// [`GAP_HORIZON_DAYS`] ahead) with nobody on duty whose alert time (the opening of the
    /// working day before it) has come. Returns the days alerted.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault (nothing is written).
    pub async fn check_duty_gaps(&self, now: DateTime<Utc>) -> Result<Vec<NaiveDate>> {
        let calendar = self.sync_calendar().await?;
        let today = local_date(now);
        let due: Vec<NaiveDate> = (0..=GAP_HORIZON_DAYS)
            .filter_map(|n| today.checked_add_days(Days::new(n)))
            .filter(|d| gap_alert_at(&calendar, *d).is_some_and(|at| at <= now))
            .collect();
        if due.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Vec<String> = due.iter().map(|d| day_key(*d)).collect();
        let rows = duty_roster::Entity::find()
            .filter(duty_roster::Column::Day.is_in(keys.clone()))
            .all(self.db())
            .await?;
        // An officer who has since left (inactive) does not staff the day.
        let active: Vec<Uuid> = staff::Entity::find()
            .filter(staff::Column::Id.is_in(rows.iter().map(|r| r.staff_id)))
            .filter(staff::Column::Active.eq(true))
            .all(self.db())
            .await?
            .into_iter()
            .map(|s| s.id)
            .collect();
        let staffed: Vec<String> = rows
            .into_iter()
            .filter(|r| active.contains(&r.staff_id))
            .map(|r| r.day)
            .collect();
        let alerted: Vec<String> = duty_alert::Entity::find()
            .filter(duty_alert::Column::Day.is_in(keys))
            .all(self.db())
            .await?
            .into_iter()
            .map(|a| a.day)
            .collect();
        let empty: Vec<NaiveDate> = due
            .into_iter()
            .filter(|d| !staffed.contains(&day_key(*d)) && !alerted.contains(&day_key(*d)))
            .collect();
        if empty.is_empty() {
            return Ok(Vec::new());
        }
        let (_gate, txn) = self.begin_write().await?;
        let mut claimed = Vec::new();
        for day in &empty {
            // Whoever inserts the day's row alerts it: another worker's sweep skips it.
            let inserted = duty_alert::Entity::insert(duty_alert::ActiveModel {
                day: Set(day_key(*day)),
                alerted_at: Set(now),
            })
            .on_conflict(
                OnConflict::column(duty_alert::Column::Day)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
            if inserted > 0 {
                claimed.push(*day);
            }
        }
        if claimed.is_empty() {
            txn.rollback().await?;
            return Ok(claimed);
        }
        let admins: Vec<staff::Model> = staff::Entity::find()
            .filter(staff::Column::Active.eq(true))
            .all(&txn)
            .await?
            .into_iter()
            .filter(|s| crate::people::holds(s, Role::CenterAdmin))
            .collect();
        let days: Vec<GapDay> = claimed
            .iter()
            .map(|d| GapDay {
                day: *d,
                working: calendar.is_working_day(*d),
                name: calendar.day_name(*d).map(str::to_owned),
            })
            .collect();
        let messages = admins
            .iter()
            .map(|a| NewMessage {
                message_id: format!("duty-gap-{}-{}", day_key(claimed[0]), a.id),
                recipient_id: Some(a.id),
                recipient_email: a.email.clone(),
                mail: Mail::DutyGap(DutyGap { days: days.clone() }),
            })
            .collect();
        outbox::enqueue_many(&txn, now, messages).await?;
        events::record(
            &txn,
            now,
            claimed
                .iter()
                .map(|d| {
                    NewEvent::system(EventKind::DutyGapAlerted)
                        .after(json!({ "day": day_key(*d), "recipients": admins.iter().map(|a| a.id).collect::<Vec<_>>() }))
                })
                .collect(),
        )
        .await?;
        txn.commit().await?;
        Ok(claimed)
    }
}
