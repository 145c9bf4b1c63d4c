//! The reads of bookings by the staff who handle them, and who those staff are.

use super::{AppointmentFilter, handling_departments};
use crate::engine::Engine;
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use lianban_entity::{AppointmentKind, appointment, matter, matter_department, service_window};
use lianban_rules::calendar::local_date;
use lianban_rules::policy::Actor;
use lianban_rules::roles::Role;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

impl Engine {
    /// Whether `actor` handles the booking (its window's department; for a holiday request the
    /// departments of its matter, the summoned staff and that day's duty officer): only they
    /// read the applicant's ID number, phone, email and address unmasked.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn handles_appointment(
        &self,
        actor: &Actor,
        a: &crate::views::AppointmentView,
    ) -> Result<bool> {
        match may_handle(self.db(), actor, a).await {
            Ok(()) => Ok(true),
            Err(Error::Forbidden(_)) => Ok(false),
            Err(other) => Err(other),
        }
    }

    /// One appointment, for the staff who may see it.
    ///
    /// # Errors
    /// `NOT_FOUND`; `FORBIDDEN` for staff of other departments.
    pub async fn appointment(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<crate::views::AppointmentView> {
        let a = appointment::Entity::find_by_id(id)
            .one(self.db())
            .await?
            .ok_or_else(|| Error::not_found(format!("appointment {id}")))?
            .into();
        if !actor.reads_everything() {
            may_handle(self.db(), actor, &a).await?;
        }
        Ok(a)
    }

    /// The appointments a staff member may see, in booking order (keyset pages), filtered:
    /// windows and department heads see their department's windows and the holiday requests of matters it handles;
    /// the centre admin, leaders and supervisors see all; a duty officer sees the holiday
    /// requests too.
    ///
    /// # Errors
    /// `FORBIDDEN` for reviewers; `INTERNAL` on a database fault.
    pub async fn appointments(
        &self,
        actor: &Actor,
        filter: &AppointmentFilter,
        page: crate::store::page::PageRequest,
    ) -> Result<crate::store::page::Page<crate::views::AppointmentView>> {
        let mut query = appointment::Entity::find();
        if !actor.reads_everything() {
            let on_duty = duty_any(self.db(), actor.staff_id, self.now()).await?;
            if !actor.has(Role::Window) && !actor.has(Role::DeptHead) && !on_duty {
                return Err(Error::Forbidden(
                    "appointments are for windows, department heads, duty officers and the centre"
                        .to_owned(),
                ));
            }
            let windows: Vec<Uuid> = service_window::Entity::find()
                .filter(service_window::Column::DepartmentId.eq(actor.department_id))
                .all(self.db())
                .await?
                .into_iter()
                .map(|w| w.id)
                .collect();
            let mut scope =
                sea_orm::Condition::any().add(appointment::Column::WindowId.is_in(windows));
            if on_duty {
                scope = scope.add(appointment::Column::Kind.eq(AppointmentKind::Holiday));
            }
            scope = scope.add(
                sea_orm::Condition::all()
                    .add(appointment::Column::Kind.eq(AppointmentKind::Holiday))
                    .add(
                        appointment::Column::MatterId
                            .in_subquery(handled_matters(actor.department_id)),
                    ),
            );
            query = query.filter(scope);
        }
        if let Some(status) = filter.status {
            query = query.filter(
                appointment::Column::Status.eq(lianban_entity::AppointmentStatus::from(status)),
            );
        }
        if let Some(kind) = filter.kind {
            query = query
                .filter(appointment::Column::Kind.eq(lianban_entity::AppointmentKind::from(kind)));
        }
        if let Some(window) = filter.window_id {
            query = query.filter(appointment::Column::WindowId.eq(window));
        }
        if let Some(day) = filter.day {
            let calendar = self.sync_calendar().await?;
            let from = calendar.instant(day, chrono::NaiveTime::MIN);
            let next = day
                .succ_opt()
                .ok_or_else(|| Error::invalid("day", "is outside the calendar"))?;
            let to = calendar.instant(next, chrono::NaiveTime::MIN);
            query = query.filter(
                sea_orm::Condition::any()
                    .add(
                        sea_orm::Condition::all()
                            .add(appointment::Column::SlotStart.gte(from))
                            .add(appointment::Column::SlotStart.lt(to)),
                    )
                    .add(appointment::Column::RequestedDay.eq(crate::people::duty::day_key(day))),
            );
        }
        (crate::store::page::fetch(self.db(), query, appointment::Column::Id, false, page).await)
            .map(|p| p.map(Into::into))
    }
}

/// The ids of the matters a department leads or co-handles (a sub-query).
pub(super) fn handled_matters(department_id: Uuid) -> sea_orm::sea_query::SelectStatement {
    let co = sea_orm::sea_query::Query::select()
        .column(matter_department::Column::MatterId)
        .from(matter_department::Entity)
        .and_where(matter_department::Column::DepartmentId.eq(department_id))
        .to_owned();
    sea_orm::sea_query::Query::select()
        .column(matter::Column::Id)
        .from(matter::Entity)
        .cond_where(
            sea_orm::Condition::any()
                .add(matter::Column::LeadDepartmentId.eq(department_id))
                .add(matter::Column::Id.in_subquery(co)),
        )
        .to_owned()
}

/// Whether the staff member is on the duty roster today or later.
pub(super) async fn duty_any<C: ConnectionTrait>(
    db: &C,
    staff_id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool> {
    Ok(lianban_entity::duty_roster::Entity::find()
        .filter(lianban_entity::duty_roster::Column::StaffId.eq(staff_id))
        .filter(
            lianban_entity::duty_roster::Column::Day
                .gte(crate::people::duty::day_key(local_date(now))),
        )
        .count(db)
        .await?
        > 0)
}

/// Whether the staff member is on duty on a holiday request's day.
pub(super) async fn on_duty_for<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    a: &crate::views::AppointmentView,
) -> Result<bool> {
    let Some(day) = a.requested_day.as_deref() else {
        return Ok(false);
    };
    Ok(lianban_entity::duty_roster::Entity::find()
        .filter(lianban_entity::duty_roster::Column::StaffId.eq(actor.staff_id))
        .filter(lianban_entity::duty_roster::Column::Day.eq(day))
        .count(db)
        .await?
        > 0)
}

/// Refuses staff of a department that neither keeps the booking's window nor (for a holiday
/// request) was summoned or handles its matter.
pub(super) async fn may_handle<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    a: &crate::views::AppointmentView,
) -> Result<()> {
    if let Some(window_id) = a.window_id {
        let window = service_window::Entity::find_by_id(window_id)
            .one(db)
            .await?
            .ok_or_else(|| Error::Internal("appointment window".into()))?;
        if window.department_id == actor.department_id {
            return Ok(());
        }
    } else {
        let summoned = &a.summoned;
        let matter = matter::Entity::find_by_id(a.matter_id)
            .one(db)
            .await?
            .ok_or_else(|| Error::Internal("appointment matter".into()))?;
        if summoned.contains(&actor.staff_id)
            || on_duty_for(db, actor, a).await?
            || handling_departments(db, &matter)
                .await?
                .contains(&actor.department_id)
        {
            return Ok(());
        }
    }
    Err(Error::Forbidden(
        "this booking belongs to another department's window".to_owned(),
    ))
}
