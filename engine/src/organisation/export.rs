//! 组织导出 — the organisation as the list centres keep in spreadsheets: active departments,
//! active staff with their places in posts (a row per post), in the import's layout.

use super::import::posts_with_holders;
use crate::engine::Engine;
use crate::error::{Error, Result};
use lianban_entity::{department, staff};
use lianban_rules::organisation_import::{
    self as rules, DepartmentRow, OrganisationList, StaffRow,
};
use lianban_rules::policy::Actor;
use lianban_rules::roles::{Role, RoleSet};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;
use uuid::Uuid;

impl Engine {
    /// The organisation as a list (centre admin): active departments, active staff with their
    /// posts, in the import's layout.
    ///
    /// # Errors
    /// `FORBIDDEN` unless `CENTER_ADMIN`.
    pub async fn organisation_list(&self, actor: &Actor) -> Result<OrganisationList> {
        actor.require(Role::CenterAdmin, "exporting the organisation")?;
        let db = self.db();
        let departments = department::Entity::find()
            .filter(department::Column::Active.eq(true))
            .order_by_asc(department::Column::Code)
            .all(db)
            .await?;
        let codes: HashMap<Uuid, &str> = departments
            .iter()
            .map(|d| (d.id, d.code.as_str()))
            .collect();
        let mut places: HashMap<Uuid, Vec<(String, usize)>> = HashMap::new();
        for (p, chain) in posts_with_holders(db).await? {
            for (position, holder) in chain.into_iter().enumerate() {
                places
                    .entry(holder)
                    .or_default()
                    .push((p.name.clone(), position));
            }
        }
        let mut staff_rows = Vec::new();
        let people = staff::Entity::find()
            .filter(staff::Column::Active.eq(true))
            .order_by_asc(staff::Column::DepartmentId)
            .order_by_asc(staff::Column::Username)
            .all(db)
            .await?;
        for person in people {
            let roles = RoleSet::parse(&person.roles)
                .map_err(|e| Error::Internal(format!("staff {} roles: {e}", person.id)))?;
            let held = places.remove(&person.id).unwrap_or_default();
            // A person holds one post in the list's layout; a second one gets a row of its own.
            let mut held = held.into_iter();
            let first = held.next();
            let mut push = |post: Option<(String, usize)>| {
                staff_rows.push(StaffRow {
                    row: staff_rows.len() + 2,
                    username: person.username.clone(),
                    name: person.display_name.clone(),
                    email: person.email.clone(),
                    department_code: codes
                        .get(&person.department_id)
                        .copied()
                        .unwrap_or_default()
                        .to_owned(),
                    roles: rules::roles_text(roles),
                    post: post.as_ref().map(|p| p.0.clone()).unwrap_or_default(),
                    ab: post.map(|p| rules::ab_text(p.1)).unwrap_or_default(),
                    sso_subject: person.sso_subject.clone().unwrap_or_default(),
                });
            };
            push(first);
            for more in held {
                push(Some(more));
            }
        }
        Ok(OrganisationList {
            departments: departments
                .iter()
                .enumerate()
                .map(|(i, d)| DepartmentRow {
                    row: i + 2,
                    code: d.code.clone(),
                    name: d.name.clone(),
                    duties: d.duties.clone(),
                })
                .collect(),
            staff: staff_rows,
        })
    }
}
