//! 部门 — the centre admin creates, renames and deactivates departments (never deletes them:
//! cases, events and scores keep naming them), each with its published duties
//! (公开各部门的工作职责). Every change is an event; an edit names the version it was made
//! from, and a stale one is `CONFLICT`.

use super::facts;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use lianban_entity::{centre, department, post, service_window, staff};
use lianban_rules::organisation::{self as rules, Remaining};
use lianban_rules::policy::Actor;
use lianban_rules::roles::Role;
use lianban_rules::validate;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel};
use sea_orm::{QueryFilter, QueryOrder};
use serde_json::json;
use uuid::Uuid;

/// A department as the centre admin writes it.
#[derive(Debug, Clone)]
pub struct SaveDepartment {
    /// `None` creates one.
    pub id: Option<Uuid>,
    /// The version read (required to change one).
    pub expected_version: Option<i64>,
    pub code: String,
    pub name: String,
    /// 工作职责.
    pub duties: String,
}

fn describe(d: &department::Model) -> serde_json::Value {
    json!({
        "departmentId": d.id, "code": d.code, "name": d.name, "duties": d.duties,
        "active": d.active, "version": d.version,
    })
}

impl Engine {
    /// Every department, active ones first by code (the admin page; deactivated ones only when
    /// asked).
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn all_departments(
        &self,
        include_inactive: bool,
    ) -> Result<Vec<crate::views::DepartmentView>> {
        let mut query = department::Entity::find()
            .order_by_desc(department::Column::Active)
            .order_by_asc(department::Column::Code);
        if !include_inactive {
            query = query.filter(department::Column::Active.eq(true));
        }
        Ok(query
            .all(self.db())
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Creates or changes a department (centre admin).
    ///
    /// # Errors
    /// `FORBIDDEN` unless `CENTER_ADMIN`; `INVALID_INPUT` for a bad code, name or duties, or a
    /// change without `expectedVersion`; `CONFLICT` for a code in use or a stale version;
    /// `NOT_FOUND` for an unknown department; `INVALID_STATE` before the centre exists.
    pub async fn save_department(
        &self,
        actor: &Actor,
        input: SaveDepartment,
    ) -> Result<crate::views::DepartmentView> {
        actor.require(Role::CenterAdmin, "setting up a department")?;
        let code = validate::code("code", &input.code)?;
        let name = validate::required("name", &input.name, validate::MAX_NAME)?;
        let duties = validate::optional("duties", Some(&input.duties), validate::MAX_TEXT)?
            .unwrap_or_default();
        let now = self.now();
        let (_gate, txn) = self.begin_write().await?;
        let taken = department::Entity::find()
            .filter(department::Column::Code.eq(code.as_str()))
            .one(&txn)
            .await?;
        if let Some(other) = taken.filter(|d| Some(d.id) != input.id) {
            return Err(Error::Conflict(format!(
                "the code {code} is {}'s",
                other.name
            )));
        }
        let (saved, before) = match input.id {
            Some(id) => {
                let row = department::Entity::find_by_id(id)
                    .one(&txn)
                    .await?
                    .ok_or_else(|| Error::not_found(format!("department {id}")))?;
                let expected = input.expected_version.ok_or_else(|| {
                    Error::invalid("expectedVersion", "is required to change a department")
                })?;
                rules::check_version(&row.name, expected, row.version)?;
                let before = describe(&row);
                let version = row.version;
                let mut active = row.into_active_model();
                active.code = Set(code);
                active.name = Set(name);
                active.duties = Set(duties);
                active.version = Set(version + 1);
                (active.update(&txn).await?, Some(before))
            }
            None => {
                let centre = centre::Entity::find().one(&txn).await?.ok_or_else(|| {
                    Error::InvalidState(
                        "no centre yet: create the first centre admin with `lianban admin create`"
                            .to_owned(),
                    )
                })?;
                let row = department::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    code: Set(code),
                    name: Set(name),
                    created_at: Set(now),
                    centre_id: Set(Some(centre.id)),
                    duties: Set(duties),
                    active: Set(true),
                    version: Set(0),
                }
                .insert(&txn)
                .await?;
                (row, None)
            }
        };
        let mut event = NewEvent::system(EventKind::DepartmentSaved)
            .by(actor.staff_id)
            .after(describe(&saved));
        if let Some(before) = before {
            event = event.before(before);
        }
        events::record(&txn, now, vec![event]).await?;
        txn.commit().await?;
        self.forget_reference();
        Ok(saved.into())
    }

    /// Deactivates a department (centre admin): refused while matters name it, it has open
    /// tasks, or active staff, windows or posts remain in it — the message lists them.
    ///
    /// # Errors
    /// `FORBIDDEN` unless `CENTER_ADMIN`; `NOT_FOUND`; `CONFLICT` for a stale version;
    /// `INVALID_STATE` naming what still depends on it.
    pub async fn deactivate_department(
        &self,
        actor: &Actor,
        id: Uuid,
        expected_version: i64,
    ) -> Result<crate::views::DepartmentView> {
        actor.require(Role::CenterAdmin, "deactivating a department")?;
        let now = self.now();
        let (_gate, txn) = self.begin_write().await?;
        let row = department::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or_else(|| Error::not_found(format!("department {id}")))?;
        rules::check_version(&row.name, expected_version, row.version)?;
        if !row.active {
            return Ok(row.into());
        }
        let dependants = facts::department(&txn, &row).await?;
        let remaining = Remaining {
            staff: staff::Entity::find()
                .filter(staff::Column::DepartmentId.eq(id))
                .filter(staff::Column::Active.eq(true))
                .all(&txn)
                .await?
                .into_iter()
                .map(|s| s.display_name)
                .collect(),
            windows: service_window::Entity::find()
                .filter(service_window::Column::DepartmentId.eq(id))
                .filter(service_window::Column::Active.eq(true))
                .all(&txn)
                .await?
                .into_iter()
                .map(|w| w.name)
                .collect(),
            posts: post::Entity::find()
                .filter(post::Column::DepartmentId.eq(id))
                .filter(post::Column::Active.eq(true))
                .all(&txn)
                .await?
                .into_iter()
                .map(|p| p.name)
                .collect(),
        };
        rules::check_department_deactivation(&dependants, &remaining)?;
        let before = describe(&row);
        let version = row.version;
        let mut active = row.into_active_model();
        active.active = Set(false);
        active.version = Set(version + 1);
        let saved = active.update(&txn).await?;
        events::record(
            &txn,
            now,
            vec![
                NewEvent::system(EventKind::DepartmentDeactivated)
                    .by(actor.staff_id)
                    .before(before)
                    .after(describe(&saved)),
            ],
        )
        .await?;
        txn.commit().await?;
        self.forget_reference();
        Ok(saved.into())
    }
}
