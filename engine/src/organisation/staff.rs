//! 人员 — the centre admin creates and edits staff (name, mail, department, roles, the identity
//! single sign-on knows them by), moves them between departments, deactivates and reactivates
//! them. A deactivated person signs in no more, their sessions end, and their open tasks go to
//! their post's next holder at once, as for an absence.

use super::facts;
use crate::access::links::send_link;
use crate::access::passwords::{ResetMethod, ResetOutcome};
use crate::access::{hash_password, sessions};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use lianban_entity::{department, staff};
use lianban_rules::accounts::SessionEnd;
use lianban_rules::organisation::{self as rules, can_act};
use lianban_rules::policy::Actor;
use lianban_rules::roles::{Role, RoleSet};
use lianban_rules::validate;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait};
use sea_orm::{IntoActiveModel, QueryFilter, QueryOrder};
use serde_json::json;
use uuid::Uuid;

/// A staff member as the centre admin writes them.
#[derive(Debug, Clone)]
pub struct SaveStaff {
    /// `None` creates one.
    pub id: Option<Uuid>,
    /// The version read (required to change one).
    pub expected_version: Option<i64>,
    pub username: String,
    pub name: String,
    pub email: String,
    pub department_id: Uuid,
    pub roles: Vec<Role>,
    /// Who the single sign-on provider says this is; empty for none.
    pub sso_subject: Option<String>,
    /// For a new account: how they get their first password (default: a link by mail).
    pub first_password: Option<ResetMethod>,
}

/// A saved staff member, and for a new one how their first password was given.
#[derive(Debug, Clone)]
pub struct SavedStaff {
    pub staff: crate::views::StaffView,
    pub first_password: Option<ResetOutcome>,
}

/// What never verifies: an account made without a password (until its link is used).
pub(crate) const NO_PASSWORD: &str = "!";

pub(crate) fn describe(s: &staff::Model) -> serde_json::Value {
    json!({
        "staffId": s.id, "username": s.username, "name": s.display_name, "email": s.email,
        "departmentId": s.department_id, "roles": s.roles, "ssoSubject": s.sso_subject,
        "active": s.active, "version": s.version,
    })
}

/// Refuses when `person` leaving `department_id` (or losing their acting roles) leaves it
/// without anyone able to act while it has work.
async fn check_leaving<C: ConnectionTrait>(
    db: &C,
    person: &staff::Model,
    still_able_there: bool,
) -> Result<()> {
    let was_able = RoleSet::parse(&person.roles).is_ok_and(|r| can_act(&r));
    if !was_able || still_able_there || !person.active {
        return Ok(());
    }
    let Some(home) = department::Entity::find_by_id(person.department_id)
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let dependants = facts::department(db, &home).await?;
    let left = facts::able_left(db, home.id, person.id).await?;
    Ok(rules::check_department_staffed(&dependants, left)?)
}

impl Engine {
    /// The staff of one department or of the centre, by username (centre admin; a department
    /// head for their own department).
    ///
    /// # Errors
    /// `FORBIDDEN` for anyone else.
    pub async fn staff_list(
        &self,
        actor: &Actor,
        department_id: Option<Uuid>,
        include_inactive: bool,
    ) -> Result<Vec<crate::views::StaffView>> {
        let own = department_id == Some(actor.department_id) && actor.has(Role::DeptHead);
        if !own {
            actor.require(Role::CenterAdmin, "listing staff")?;
        }
        let mut query = staff::Entity::find().order_by_asc(staff::Column::Username);
        if let Some(id) = department_id {
            query = query.filter(staff::Column::DepartmentId.eq(id));
        }
        if !include_inactive {
            query = query.filter(staff::Column::Active.eq(true));
        }
        query
            .all(self.db())
            .await?
            .into_iter()
            .map(TryInto::try_into)
            .collect()
    }

    /// Creates or changes a staff member (centre admin). A new account gets its first password
    /// by a one-time link mailed to it (or a temporary password returned once).
    ///
    /// # Errors
    /// `FORBIDDEN` unless `CENTER_ADMIN`; `INVALID_INPUT` for a bad field, or a change without
    /// `expectedVersion`; `CONFLICT` for a username or single sign-on identity in use, or a
    /// stale version; `NOT_FOUND`; `INVALID_STATE` for a move or a role withdrawn that would
    /// leave a post, a department or the centre's administration without anyone.
    pub async fn save_staff(&self, actor: &Actor, input: SaveStaff) -> Result<SavedStaff> {
        actor.require(Role::CenterAdmin, "managing staff")?;
        let username = validate::username("username", &input.username)?;
        let name = validate::required("name", &input.name, validate::MAX_NAME)?;
        let email = validate::email("email", &input.email)?;
        let sso_subject = validate::optional(
            "ssoSubject",
            input.sso_subject.as_deref(),
            validate::MAX_NAME,
        )?;
        if input.roles.is_empty() {
            return Err(Error::invalid("roles", "at least one role"));
        }
        let roles = RoleSet::of(&input.roles);
        let temporary = match (input.id, input.first_password) {
            (None, Some(ResetMethod::Temporary)) => {
                let password = crate::access::passwords::new_temporary_password();
                let hashed = password.clone();
                let hash = tokio::task::spawn_blocking(move || hash_password(&hashed))
                    .await
                    .map_err(|e| Error::Internal(format!("password hash: {e}")))??;
                Some((password, hash))
            }
            _ => None,
        };
        let now = self.now();
        let (_gate, txn) = self.begin_write().await?;
        let home = department::Entity::find_by_id(input.department_id)
            .one(&txn)
            .await?
            .ok_or_else(|| Error::not_found(format!("department {}", input.department_id)))?;
        if !home.active {
            return Err(Error::InvalidState(format!(
                "{} is deactivated: choose an active department",
                home.name
            )));
        }
        let clash = staff::Entity::find()
            .filter(staff::Column::Username.eq(username.as_str()))
            .one(&txn)
            .await?;
        if let Some(other) = clash.filter(|s| Some(s.id) != input.id) {
            return Err(Error::Conflict(format!(
                "the username {username} is {}'s",
                other.display_name
            )));
        }
        if let Some(subject) = &sso_subject {
            let clash = staff::Entity::find()
                .filter(staff::Column::SsoSubject.eq(subject.as_str()))
                .one(&txn)
                .await?;
            if let Some(other) = clash.filter(|s| Some(s.id) != input.id) {
                return Err(Error::Conflict(format!(
                    "the single sign-on identity {subject} is {}'s",
                    other.display_name
                )));
            }
        }
        let (saved, before, first_password) = match input.id {
            Some(id) => {
                let row = staff::Entity::find_by_id(id)
                    .one(&txn)
                    .await?
                    .ok_or_else(|| Error::not_found(format!("staff member {id}")))?;
                let expected = input.expected_version.ok_or_else(|| {
                    Error::invalid("expectedVersion", "is required to change a staff member")
                })?;
                rules::check_version(&row.display_name, expected, row.version)?;
                let moving = row.department_id != input.department_id;
                if moving && let Some(held) = facts::posts_held(&txn, id).await?.first() {
                    return Err(Error::InvalidState(format!(
                        "{} holds the post {} of their department: take them off it (AB arrangement) before moving them",
                        row.display_name, held.name
                    )));
                }
                check_leaving(&txn, &row, !moving && can_act(&roles)).await?;
                let was_admin = crate::people::holds(&row, Role::CenterAdmin);
                if was_admin && !roles.contains(Role::CenterAdmin) && row.active {
                    rules::check_admins_left(facts::admins_left(&txn, id).await?)?;
                }
                if row.email != email {
                    // A link sent to the old address must not set the password.
                    crate::access::links::withdraw_links(&txn, id, now).await?;
                }
                let before = describe(&row);
                let version = row.version;
                let mut active = row.into_active_model();
                active.username = Set(username);
                active.display_name = Set(name);
                active.email = Set(email);
                active.department_id = Set(input.department_id);
                active.roles = Set(roles.stored());
                active.sso_subject = Set(sso_subject);
                active.centre_id = Set(home.centre_id);
                active.version = Set(version + 1);
                (active.update(&txn).await?, Some(before), None)
            }
            None => {
                let (hash, must_change) = match &temporary {
                    Some((_, hash)) => (hash.clone(), true),
                    None => (NO_PASSWORD.to_owned(), false),
                };
                let row = staff::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    department_id: Set(input.department_id),
                    username: Set(username),
                    display_name: Set(name),
                    email: Set(email),
                    password_hash: Set(hash),
                    roles: Set(roles.stored()),
                    active: Set(true),
                    created_at: Set(now),
                    centre_id: Set(home.centre_id),
                    version: Set(0),
                    must_change_password: Set(must_change),
                    sso_subject: Set(sso_subject),
                    deactivated_at: Set(None),
                    password_changed_at: Set(None),
                }
                .insert(&txn)
                .await?;
                let first = match temporary {
                    Some((password, _)) => ResetOutcome {
                        temporary_password: Some(password),
                        link_expires_at: None,
                    },
                    None => ResetOutcome {
                        temporary_password: None,
                        link_expires_at: Some(
                            send_link(&txn, &row, Some(actor.staff_id), true, now).await?,
                        ),
                    },
                };
                (row, None, Some(first))
            }
        };
        let mut event = NewEvent::system(EventKind::StaffSaved)
            .by(actor.staff_id)
            .after(describe(&saved));
        if let Some(before) = before {
            event = event.before(before);
        }
        events::record(&txn, now, vec![event]).await?;
        txn.commit().await?;
        self.sessions.forget_person(saved.id);
        Ok(SavedStaff {
            staff: saved.try_into()?,
            first_password,
        })
    }

    /// Deactivates (or, `active`, reactivates) a staff member (centre admin). Deactivated, they
    /// sign in no more, every session of theirs ends (their live subscriptions close at the
    /// next check), and their open tasks go to their post's next available holder at once.
    ///
    /// # Errors
    /// `FORBIDDEN` unless `CENTER_ADMIN`; `NOT_FOUND`; `CONFLICT` for a stale version;
    /// `INVALID_STATE` when a post that matters use, their department, or the centre's
    /// administration would be left without anyone.
    pub async fn set_staff_active(
        &self,
        actor: &Actor,
        id: Uuid,
        expected_version: i64,
        active: bool,
    ) -> Result<crate::views::StaffView> {
        actor.require(Role::CenterAdmin, "deactivating or reactivating staff")?;
        let now = self.now();
        let (_gate, txn) = self.begin_write().await?;
        let row = staff::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or_else(|| Error::not_found(format!("staff member {id}")))?;
        rules::check_version(&row.display_name, expected_version, row.version)?;
        if row.active == active {
            return row.try_into();
        }
        if !active {
            self.check_deactivation(&txn, &row).await?;
        } else if let Some(home) = department::Entity::find_by_id(row.department_id)
            .one(&txn)
            .await?
            .filter(|d| !d.active)
        {
            return Err(Error::InvalidState(format!(
                "{} is deactivated: move {} to an active department first",
                home.name, row.display_name
            )));
        }
        let before = describe(&row);
        let version = row.version;
        let mut change = row.into_active_model();
        change.active = Set(active);
        change.deactivated_at = Set((!active).then_some(now));
        change.version = Set(version + 1);
        let saved = change.update(&txn).await?;
        if !active {
            crate::access::links::withdraw_links(&txn, id, now).await?;
            sessions::end_all(
                &txn,
                id,
                None,
                SessionEnd::Deactivated,
                Some(actor.staff_id),
                now,
            )
            .await?;
        }
        let kind = if active {
            EventKind::StaffSaved
        } else {
            EventKind::StaffDeactivated
        };
        events::record(
            &txn,
            now,
            vec![
                NewEvent::system(kind)
                    .by(actor.staff_id)
                    .before(before)
                    .after(describe(&saved)),
            ],
        )
        .await?;
        // Their tasks move now (or, reactivated, come back), as the absence switcher moves them.
        self.switch_absences_in(&txn, now).await?;
        txn.commit().await?;
        self.sessions.forget_person(id);
        saved.try_into()
    }

    /// The guards of deactivating `person`.
    async fn check_deactivation<C: ConnectionTrait>(
        &self,
        db: &C,
        person: &staff::Model,
    ) -> Result<()> {
        for held in facts::posts_held(db, person.id).await? {
            let chain: Vec<Uuid> = facts::chain(db, &held)
                .await?
                .into_iter()
                .filter(|h| *h != person.id)
                .collect();
            let active = facts::active_among(db, &chain).await?;
            let department = department::Entity::find_by_id(held.department_id)
                .one(db)
                .await?
                .map(|d| d.name)
                .unwrap_or_default();
            let post = facts::post(db, &held, &department, chain).await?;
            rules::check_post_staffed(&post, &active)?;
        }
        check_leaving(db, person, false).await?;
        if crate::people::holds(person, Role::CenterAdmin) {
            rules::check_admins_left(facts::admins_left(db, person.id).await?)?;
        }
        Ok(())
    }
}
