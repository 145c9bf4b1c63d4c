//! 节假日预约 — a request for service on a weekend or holiday, and the duty officer's summons
//! of window staff for it.

use super::{
    BOOKING_DAYS_AHEAD, RequestHolidayService, Who, check_email, confirmation, fresh,
    handling_departments, lock, matter_by_code,
};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use crate::mail::outbox::{self, NewMessage};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use lianban_entity::{AppointmentKind, AppointmentStatus, appointment, matter, staff};
use lianban_rules::calendar::local_date;
use lianban_rules::mail::{HolidayRequest, Mail, WindowStaffSummoned};
use lianban_rules::policy::Actor;
use lianban_rules::roles::Role;
use lianban_rules::validate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter,
};
use serde_json::json;
use uuid::Uuid;

impl Engine {
    /// 节假日预约 — asks for service on a weekend or holiday; that day's duty officers hear of
    /// it (the centre admins, when nobody is on duty).
    ///
    /// # Errors
    /// `INVALID_INPUT` for a working day, a past day or one too far ahead, bad applicant data or
    /// email; `NOT_FOUND` for an unknown matter.
    pub async fn request_holiday_service(
        &self,
        actor: Option<&Actor>,
        input: RequestHolidayService,
        address_of_caller: Option<&str>,
    ) -> Result<crate::views::AppointmentView> {
        if let Some(actor) = actor {
            actor.require(Role::Window, "asking for holiday service for an applicant")?;
        }
        let applicant = crate::cases::open::check_applicant(&input.applicant)?;
        let email = check_email(&input.email)?;
        let address = validate::optional("address", input.address.as_deref(), validate::MAX_TEXT)?;
        let note = validate::optional("note", input.note.as_deref(), validate::MAX_TEXT)?;
        let now = self.now();
        let calendar = self.sync_calendar().await?;
        let today = local_date(now);
        if input.day < today || input.day > today + Duration::days(BOOKING_DAYS_AHEAD) {
            return Err(Error::invalid(
                "day",
                format!("must be today or within {BOOKING_DAYS_AHEAD} days"),
            ));
        }
        if calendar.is_working_day(input.day) {
            return Err(Error::invalid(
                "day",
                "is a working day: book a slot at a window instead",
            ));
        }
        let (_gate, txn) = self.begin_write().await?;
        let matter = matter_by_code(&txn, &input.matter_code).await?;
        let day = crate::people::duty::day_key(input.day);
        if let Some(first) = appointment::Entity::find()
            .filter(appointment::Column::Kind.eq(AppointmentKind::Holiday))
            .filter(appointment::Column::RequestedDay.eq(day.as_str()))
            .filter(appointment::Column::MatterId.eq(matter.id))
            .filter(appointment::Column::ApplicantIdNumber.eq(applicant.id_number.as_str()))
            .filter(appointment::Column::ApplicantName.eq(applicant.name.as_str()))
            .filter(appointment::Column::Status.is_in([
                AppointmentStatus::Requested,
                AppointmentStatus::Booked,
                AppointmentStatus::Pending,
            ]))
            .one(&txn)
            .await?
            .filter(|first| first.status != AppointmentStatus::Pending || actor.is_none())
        {
            txn.rollback().await?;
            return Ok(crate::views::AppointmentView::from(first));
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
            AppointmentKind::Holiday,
            AppointmentStatus::Requested,
            matter.id,
            who,
            actor,
            now,
        );
        row.requested_day = Set(Some(day.clone()));
        if actor.is_none() {
            let pending = super::online::Pending::new(row, now)?
                .write(&txn, &matter, None, now)
                .await?;
            txn.commit().await?;
            return Ok(pending);
        }
        let request = appointment::Entity::insert(row)
            .exec_with_returning(&txn)
            .await?;
        self.tell_duty_officers(&txn, &request, &matter, actor, now)
            .await?;
        txn.commit().await?;
        Ok(crate::views::AppointmentView::from(request))
    }

    /// Mails a holiday request to its day's duty officers (the centre admins when nobody is on
    /// duty), with its event.
    pub(crate) async fn tell_duty_officers<C: ConnectionTrait>(
        &self,
        txn: &C,
        request: &appointment::Model,
        matter: &matter::Model,
        actor: Option<&Actor>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let day = request.requested_day.clone().unwrap_or_default();
        let date = NaiveDate::parse_from_str(&day, "%Y-%m-%d")
            .map_err(|e| Error::Internal(format!("holiday request day: {e}")))?;
        let mut officers = crate::people::duty::officers_on(txn, date).await?;
        let nobody_on_duty = officers.is_empty();
        if nobody_on_duty {
            officers = staff::Entity::find()
                .filter(staff::Column::Active.eq(true))
                .all(txn)
                .await?
                .into_iter()
                .filter(|s| crate::people::holds(s, Role::CenterAdmin))
                .collect();
        }
        let messages = officers
            .iter()
            .map(|o| NewMessage {
                message_id: format!("holiday-{}-{}", request.id, o.id),
                recipient_id: Some(o.id),
                recipient_email: o.email.clone(),
                mail: Mail::HolidayRequest(HolidayRequest {
                    code: request.code.clone(),
                    day: date,
                    matter: matter.name.clone(),
                    applicant: request.applicant_name.clone(),
                    phone: request.applicant_phone.clone(),
                    address: request.address.clone(),
                    note: request.note.clone(),
                    nobody_on_duty,
                }),
            })
            .collect();
        outbox::enqueue_many(txn, now, messages).await?;
        let mut event = NewEvent::system(EventKind::HolidayServiceRequested).after(json!({
            "appointmentId": request.id, "code": request.code, "day": day, "matter": matter.code,
            "dutyOfficers": officers.iter().map(|o| o.id).collect::<Vec<_>>(),
            "nobodyOnDuty": nobody_on_duty,
        }));
        event.actor_id = actor.map(|a| a.staff_id);
        events::record(txn, now, vec![event]).await
    }

    /// The duty officer summons window staff for a holiday request: each is mailed when and
    /// what, the applicant is mailed the confirmation, and the request becomes a booking.
    ///
    /// # Errors
    /// `FORBIDDEN` unless on duty that day (or `CENTER_ADMIN`); `INVALID_STATE` unless the
    /// request waits; `INVALID_INPUT` for no staff, staff of a department that does not handle
    /// the matter, a start outside the requested day or a length outside 15–480 minutes;
    /// `NOT_FOUND`.
    pub async fn summon_window_staff(
        &self,
        actor: &Actor,
        id: Uuid,
        staff_ids: &[Uuid],
        start: DateTime<Utc>,
        minutes: i32,
    ) -> Result<crate::views::AppointmentView> {
        if staff_ids.is_empty() || staff_ids.len() > 10 {
            return Err(Error::invalid("staffIds", "summon 1 to 10 staff members"));
        }
        if !(15..=480).contains(&minutes) {
            return Err(Error::invalid("minutes", "must be 15..=480"));
        }
        let now = self.now();
        let calendar = self.sync_calendar().await?;
        let (_gate, txn) = self.begin_write().await?;
        let request = lock(&txn, id).await?;
        let day = request
            .requested_day
            .as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .filter(|_| request.kind == AppointmentKind::Holiday)
            .ok_or_else(|| {
                Error::InvalidState("this booking is not a holiday request".to_owned())
            })?;
        let on_duty = crate::people::duty::officers_on(&txn, day)
            .await?
            .iter()
            .any(|o| o.id == actor.staff_id);
        if !on_duty && !actor.has(Role::CenterAdmin) {
            return Err(Error::Forbidden(
                "holiday requests are arranged by that day's duty officer".to_owned(),
            ));
        }
        if request.status != AppointmentStatus::Requested {
            return Err(Error::InvalidState(format!(
                "this request is {:?}, not waiting to be arranged",
                request.status
            )));
        }
        if calendar.local_date(start) != day || start <= now {
            return Err(Error::invalid(
                "start",
                format!(
                    "must be later on the requested day, {}",
                    crate::people::duty::day_key(day)
                ),
            ));
        }
        let matter = matter::Entity::find_by_id(request.matter_id)
            .one(&txn)
            .await?
            .ok_or_else(|| Error::Internal("appointment matter".into()))?;
        let departments = handling_departments(&txn, &matter).await?;
        let people = staff::Entity::find()
            .filter(staff::Column::Id.is_in(staff_ids.to_vec()))
            .filter(staff::Column::Active.eq(true))
            .all(&txn)
            .await?;
        for sid in staff_ids {
            let person = people
                .iter()
                .find(|p| p.id == *sid)
                .ok_or_else(|| Error::not_found(format!("staff member {sid}")))?;
            if !crate::people::holds(person, Role::Window) {
                return Err(Error::invalid(
                    "staffIds",
                    format!("{} is not window staff", person.display_name),
                ));
            }
            if !departments.contains(&person.department_id) {
                return Err(Error::invalid(
                    "staffIds",
                    format!(
                        "{} is not of a department that handles “{}”",
                        person.display_name, matter.name
                    ),
                ));
            }
        }
        let end = start + Duration::minutes(i64::from(minutes));
        let mut active = request.clone().into_active_model();
        active.status = Set(AppointmentStatus::Booked);
        active.slot_start = Set(Some(start));
        active.slot_end = Set(Some(end));
        active.summoned = Set(json!(staff_ids));
        active.handled_by = Set(Some(actor.staff_id));
        active.handled_at = Set(Some(now));
        active.updated_at = Set(now);
        let booked = active.update(&txn).await?;
        let mut messages: Vec<NewMessage> = people
            .iter()
            .map(|p| NewMessage {
                message_id: format!("summon-{}-{}", booked.id, p.id),
                recipient_id: Some(p.id),
                recipient_email: p.email.clone(),
                mail: Mail::WindowStaffSummoned(WindowStaffSummoned {
                    code: booked.code.clone(),
                    matter: matter.name.clone(),
                    applicant: booked.applicant_name.clone(),
                    phone: booked.applicant_phone.clone(),
                    address: booked.address.clone(),
                    note: booked.note.clone(),
                    slot_start: start,
                    slot_end: end,
                }),
            })
            .collect();
        messages.push(confirmation(&booked, &matter.name, None));
        outbox::enqueue_many(&txn, now, messages).await?;
        events::record(
            &txn,
            now,
            vec![
                NewEvent::system(EventKind::WindowStaffSummoned)
                    .by(actor.staff_id)
                    .before(json!({ "status": request.status }))
                    .after(json!({
                        "appointmentId": booked.id, "status": booked.status, "staffIds": staff_ids,
                        "slotStart": start, "slotEnd": end,
                    })),
            ],
        )
        .await?;
        txn.commit().await?;
        Ok(crate::views::AppointmentView::from(booked))
    }
}
