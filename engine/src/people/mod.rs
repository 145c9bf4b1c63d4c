//! Staff and departments as the rest of the engine and the API read them.

pub mod absences;
pub mod duty;

use crate::engine::Engine;
use crate::error::Result;
use lianban_entity::{absence, department, staff};
use lianban_rules::{Role, RoleSet};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;
use uuid::Uuid;

impl Engine {
    /// A staff member by id.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn staff_by_id(&self, id: Uuid) -> Result<Option<crate::views::StaffView>> {
        staff::Entity::find_by_id(id)
            .one(self.db())
            .await?
            .map(TryInto::try_into)
            .transpose()
    }

    /// Staff members by id, for naming people in lists.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn staff_by_ids(
        &self,
        ids: &[Uuid],
    ) -> Result<HashMap<Uuid, crate::views::StaffView>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let rows = staff::Entity::find()
            .filter(staff::Column::Id.is_in(ids.iter().copied()))
            .all(self.db())
            .await?;
        rows.into_iter()
            .map(|s| Ok((s.id, s.try_into()?)))
            .collect()
    }

    /// A department by id.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn department_by_id(&self, id: Uuid) -> Result<Option<crate::views::DepartmentView>> {
        Ok(department::Entity::find_by_id(id)
            .one(self.db())
            .await?
            .map(Into::into))
    }

    /// Every department, by code.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn departments(&self) -> Result<Vec<crate::views::DepartmentView>> {
        Ok(department::Entity::find()
            .order_by_asc(department::Column::Code)
            .all(self.db())
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// The staff of a department, by name.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn department_staff(
        &self,
        department_id: Uuid,
    ) -> Result<Vec<crate::views::StaffView>> {
        staff::Entity::find()
            .filter(staff::Column::DepartmentId.eq(department_id))
            .order_by_asc(staff::Column::Username)
            .all(self.db())
            .await?
            .into_iter()
            .map(TryInto::try_into)
            .collect()
    }

    /// A staff member's absences that have not ended, soonest first.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn current_absences(&self, staff_id: Uuid) -> Result<Vec<crate::views::AbsenceView>> {
        Ok(absence::Entity::find()
            .filter(absence::Column::StaffId.eq(staff_id))
            .filter(absence::Column::EndsAt.gt(self.now()))
            .order_by_asc(absence::Column::StartsAt)
            .all(self.db())
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }
}

/// Whether a stored staff member holds `role`, read as a set (a list that does not parse holds
/// nothing).
pub(crate) fn holds(person: &staff::Model, role: Role) -> bool {
    RoleSet::parse(&person.roles).is_ok_and(|roles| roles.contains(role))
}

/// The active staff who hold `role`, by name.
///
/// # Errors
/// `INTERNAL` on a database fault.
pub(crate) async fn holders_of<C: ConnectionTrait>(
    conn: &C,
    role: Role,
) -> Result<Vec<staff::Model>> {
    Ok(staff::Entity::find()
        .filter(staff::Column::Active.eq(true))
        .order_by_asc(staff::Column::Username)
        .all(conn)
        .await?
        .into_iter()
        .filter(|person| holds(person, role))
        .collect())
}
