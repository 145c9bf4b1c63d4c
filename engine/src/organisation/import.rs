//! 组织导入导出 — the organisation as the list centres keep in spreadsheets: read whole, checked
//! whole ([`lianban_rules::organisation_import::plan`]), written in one transaction or not at
//! all; and the same list written out. New people get a one-time link to set their password.

use super::staff::NO_PASSWORD;
use crate::access::links::send_link;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use chrono::{DateTime, Utc};
use lianban_entity::{centre, department, post, post_b_holder, staff};
use lianban_rules::organisation_import::{
    self as rules, Existing, ExistingDepartment, ExistingPost, ExistingStaff, OrganisationList,
    Plan, RowProblem,
};
use lianban_rules::policy::Actor;
use lianban_rules::roles::Role;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait};
use sea_orm::{IntoActiveModel, QueryFilter, QueryOrder};
use serde_json::json;
use std::collections::HashMap;
use uuid::Uuid;

/// What an import did, or would do.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// Checked only.
    pub dry_run: bool,
    /// Whether anything was written (never when a row is bad).
    pub written: bool,
    /// Every bad row; empty when the list is good.
    pub problems: Vec<RowProblem>,
    pub departments_created: usize,
    /// Already there (changed where the list differs).
    pub departments_updated: usize,
    pub staff_created: usize,
    pub staff_updated: usize,
    pub posts_created: usize,
    pub posts_updated: usize,
}

/// Every post with its holders, A first.
pub(super) async fn posts_with_holders<C: ConnectionTrait>(
    db: &C,
) -> Result<Vec<(post::Model, Vec<Uuid>)>> {
    let posts = post::Entity::find()
        .filter(post::Column::Active.eq(true))
        .order_by_asc(post::Column::Name)
        .all(db)
        .await?;
    let bs = post_b_holder::Entity::find()
        .order_by_asc(post_b_holder::Column::Position)
        .all(db)
        .await?;
    Ok(posts
        .into_iter()
        .map(|p| {
            let mut chain = vec![p.a_holder_id];
            chain.extend(bs.iter().filter(|b| b.post_id == p.id).map(|b| b.staff_id));
            (p, chain)
        })
        .collect())
}

async fn existing<C: ConnectionTrait>(db: &C) -> Result<Existing> {
    Ok(Existing {
        departments: department::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|d| ExistingDepartment {
                id: d.id,
                code: d.code,
                active: d.active,
            })
            .collect(),
        staff: staff::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|s| ExistingStaff {
                id: s.id,
                username: s.username,
                department_id: s.department_id,
                sso_subject: s.sso_subject,
                active: s.active,
            })
            .collect(),
        posts: posts_with_holders(db)
            .await?
            .into_iter()
            .map(|(p, holders)| ExistingPost {
                id: p.id,
                department_id: p.department_id,
                name: p.name,
                holders,
            })
            .collect(),
    })
}

impl Engine {
    /// 导入 — checks a whole organisation list and, unless `dry_run` or a row is bad, writes
    /// it in one transaction (centre admin). The report names every bad row.
    ///
    /// # Errors
    /// `FORBIDDEN` unless `CENTER_ADMIN`; `INVALID_STATE` before the centre exists or when the
    /// list would leave the centre without an active admin.
    pub async fn import_organisation(
        &self,
        actor: &Actor,
        list: &OrganisationList,
        dry_run: bool,
    ) -> Result<ImportReport> {
        actor.require(Role::CenterAdmin, "importing the organisation")?;
        let now = self.now();
        let (_gate, txn) = self.begin_write().await?;
        let centre = centre::Entity::find().one(&txn).await?.ok_or_else(|| {
            Error::InvalidState(
                "no centre yet: create the first centre admin with `lianban admin create`"
                    .to_owned(),
            )
        })?;
        let held = existing(&txn).await?;
        let plan = match rules::plan(list, &held) {
            Ok(plan) => plan,
            Err(problems) => {
                return Ok(ImportReport {
                    dry_run,
                    problems,
                    ..ImportReport::default()
                });
            }
        };
        let mut report = count(&plan, dry_run);
        if dry_run {
            return Ok(report);
        }
        self.write_plan(&txn, actor, centre.id, &plan, now).await?;
        // A department the list moved people out of, or took their roles from, keeps someone
        // able to act while matters or open tasks depend on it (as saveStaff keeps it).
        let touched: std::collections::BTreeSet<Uuid> = plan
            .staff
            .iter()
            .filter_map(|p| p.id)
            .filter_map(|id| held.staff.iter().find(|s| s.id == id))
            .map(|s| s.department_id)
            .collect();
        for id in touched {
            if let Some(row) = department::Entity::find_by_id(id).one(&txn).await? {
                let depends = super::facts::department(&txn, &row).await?;
                let able = super::facts::able_left(&txn, id, Uuid::nil()).await?;
                lianban_rules::organisation::check_department_staffed(&depends, able)?;
            }
        }
        let admins = staff::Entity::find()
            .filter(staff::Column::Active.eq(true))
            .all(&txn)
            .await?
            .iter()
            .filter(|s| crate::people::holds(s, Role::CenterAdmin))
            .count();
        lianban_rules::organisation::check_admins_left(admins)?;
        events::record(
            &txn,
            now,
            vec![NewEvent::system(EventKind::OrganisationImported).by(actor.staff_id).after(json!({
                "departmentsCreated": report.departments_created, "departmentsUpdated": report.departments_updated,
                "staffCreated": report.staff_created, "staffUpdated": report.staff_updated,
                "postsCreated": report.posts_created, "postsUpdated": report.posts_updated,
            }))],
        )
        .await?;
        self.switch_absences_in(&txn, now).await?;
        txn.commit().await?;
        self.forget_reference();
        for person in plan.staff.iter().filter_map(|p| p.id) {
            self.sessions.forget_person(person);
        }
        report.written = true;
        Ok(report)
    }

    async fn write_plan<C: ConnectionTrait>(
        &self,
        txn: &C,
        actor: &Actor,
        centre_id: Uuid,
        plan: &Plan,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut happened = Vec::new();
        let mut department_ids: HashMap<String, Uuid> = department::Entity::find()
            .all(txn)
            .await?
            .into_iter()
            .map(|d| (d.code, d.id))
            .collect();
        for d in &plan.departments {
            let saved = match d.id {
                Some(id) => {
                    let row = department::Entity::find_by_id(id)
                        .one(txn)
                        .await?
                        .ok_or_else(|| Error::not_found(format!("department {id}")))?;
                    if (row.name.as_str(), row.duties.as_str())
                        == (d.name.as_str(), d.duties.as_str())
                    {
                        continue;
                    }
                    let version = row.version;
                    let mut change = row.into_active_model();
                    change.name = Set(d.name.clone());
                    change.duties = Set(d.duties.clone());
                    change.version = Set(version + 1);
                    change.update(txn).await?
                }
                None => {
                    department::ActiveModel {
                        id: Set(Uuid::now_v7()),
                        code: Set(d.code.clone()),
                        name: Set(d.name.clone()),
                        created_at: Set(now),
                        centre_id: Set(Some(centre_id)),
                        duties: Set(d.duties.clone()),
                        active: Set(true),
                        version: Set(0),
                    }
                    .insert(txn)
                    .await?
                }
            };
            department_ids.insert(saved.code.clone(), saved.id);
            happened.push(NewEvent::system(EventKind::DepartmentSaved).by(actor.staff_id).after(json!({
                "departmentId": saved.id, "code": saved.code, "name": saved.name, "version": saved.version, "by": "import",
            })));
        }
        let department_of = |code: &str| {
            department_ids
                .get(code)
                .copied()
                .ok_or_else(|| Error::Internal(format!("import: department {code}")))
        };
        let mut people: HashMap<String, Uuid> = staff::Entity::find()
            .all(txn)
            .await?
            .into_iter()
            .map(|s| (s.username, s.id))
            .collect();
        for p in &plan.staff {
            let department_id = department_of(&p.department_code)?;
            let saved = match p.id {
                Some(id) => {
                    let row = staff::Entity::find_by_id(id)
                        .one(txn)
                        .await?
                        .ok_or_else(|| Error::not_found(format!("staff member {id}")))?;
                    let same = row.display_name == p.name
                        && row.email == p.email
                        && row.department_id == department_id
                        && row.roles == p.roles.stored()
                        && row.sso_subject == p.sso_subject;
                    if same {
                        continue;
                    }
                    if row.email != p.email {
                        crate::access::links::withdraw_links(txn, id, now).await?;
                    }
                    let version = row.version;
                    let mut change = row.into_active_model();
                    change.display_name = Set(p.name.clone());
                    change.email = Set(p.email.clone());
                    change.department_id = Set(department_id);
                    change.roles = Set(p.roles.stored());
                    change.sso_subject = Set(p.sso_subject.clone());
                    change.version = Set(version + 1);
                    change.update(txn).await?
                }
                None => {
                    let row = staff::ActiveModel {
                        id: Set(Uuid::now_v7()),
                        department_id: Set(department_id),
                        username: Set(p.username.clone()),
                        display_name: Set(p.name.clone()),
                        email: Set(p.email.clone()),
                        password_hash: Set(NO_PASSWORD.to_owned()),
                        roles: Set(p.roles.stored()),
                        active: Set(true),
                        created_at: Set(now),
                        centre_id: Set(Some(centre_id)),
                        version: Set(0),
                        must_change_password: Set(false),
                        sso_subject: Set(p.sso_subject.clone()),
                        deactivated_at: Set(None),
                        password_changed_at: Set(None),
                    }
                    .insert(txn)
                    .await?;
                    send_link(txn, &row, Some(actor.staff_id), true, now).await?;
                    row
                }
            };
            people.insert(saved.username.clone(), saved.id);
            happened.push(NewEvent::system(EventKind::StaffSaved).by(actor.staff_id).after(json!({
                "staffId": saved.id, "username": saved.username, "departmentId": saved.department_id,
                "roles": saved.roles, "version": saved.version, "by": "import",
            })));
        }
        for p in &plan.posts {
            let department_id = department_of(&p.department_code)?;
            let chain = p
                .holders
                .iter()
                .map(|u| {
                    people
                        .get(u)
                        .copied()
                        .ok_or_else(|| Error::Internal(format!("import: staff {u}")))
                })
                .collect::<Result<Vec<Uuid>>>()?;
            let saved = match p.id {
                Some(id) => {
                    let row = post::Entity::find_by_id(id)
                        .one(txn)
                        .await?
                        .ok_or_else(|| Error::not_found(format!("post {id}")))?;
                    let version = row.version;
                    let mut change = row.into_active_model();
                    change.a_holder_id = Set(chain[0]);
                    change.version = Set(version + 1);
                    change.update(txn).await?
                }
                None => {
                    post::ActiveModel {
                        id: Set(Uuid::now_v7()),
                        department_id: Set(department_id),
                        name: Set(p.name.clone()),
                        a_holder_id: Set(chain[0]),
                        created_at: Set(now),
                        centre_id: Set(Some(centre_id)),
                        active: Set(true),
                        version: Set(0),
                    }
                    .insert(txn)
                    .await?
                }
            };
            super::posts::set_b_holders(txn, saved.id, &chain[1..]).await?;
            happened.push(NewEvent::system(EventKind::PostSaved).by(actor.staff_id).after(json!({
                "postId": saved.id, "departmentId": saved.department_id, "name": saved.name,
                "aHolderId": chain[0], "bHolderIds": &chain[1..], "version": saved.version, "by": "import",
            })));
        }
        events::record(txn, now, happened).await?;
        Ok(())
    }
}

/// What a good plan will write.
fn count(plan: &Plan, dry_run: bool) -> ImportReport {
    ImportReport {
        dry_run,
        written: false,
        problems: Vec::new(),
        departments_created: plan.departments.iter().filter(|d| d.id.is_none()).count(),
        departments_updated: plan.departments.iter().filter(|d| d.id.is_some()).count(),
        staff_created: plan.staff.iter().filter(|s| s.id.is_none()).count(),
        staff_updated: plan.staff.iter().filter(|s| s.id.is_some()).count(),
        posts_created: plan.posts.iter().filter(|p| p.id.is_none()).count(),
        posts_updated: plan.posts.iter().filter(|p| p.id.is_some()).count(),
    }
}
