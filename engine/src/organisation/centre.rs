//! 中心 — the centre itself, and its first centre admin (`lianban admin create`): on an empty
//! database it creates the centre and its management office; on a real centre it adds an admin
//! (how an operator with the server in hand recovers a lost one). A demo database takes none.

use crate::access::hash_password;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use lianban_entity::{centre, department, staff};
use lianban_rules::accounts::check_new_password;
use lianban_rules::roles::{Role, RoleSet};
use lianban_rules::validate;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

/// The first (or another) centre admin, as the command line gives it.
#[derive(Debug, Clone)]
pub struct NewAdmin {
    pub username: String,
    pub name: String,
    pub email: String,
    pub password: String,
    /// The centre's name, when this creates it.
    pub centre_name: String,
    /// The department the admin belongs to: found by code, or created with `department_name`
    /// when the centre is new.
    pub department_code: String,
    pub department_name: String,
    /// The identity single sign-on knows the admin by, if any.
    pub sso_subject: Option<String>,
}

/// What `lianban admin create` did.
#[derive(Debug, Clone)]
pub struct AdminCreated {
    pub staff: crate::views::StaffView,
    /// The centre, created now or already there.
    pub centre: String,
    /// Whether the centre was created now.
    pub new_centre: bool,
}

/// Whether the database holds a centre yet, and whether it is the demo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Installation {
    /// No centre: `lianban admin create` (or the demo) makes one.
    Empty,
    /// The demo centre.
    Demo,
    /// A real centre.
    Centre,
}

impl Engine {
    /// What the database holds.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn installation(&self) -> Result<Installation> {
        Ok(match centre::Entity::find().one(self.db()).await? {
            None => Installation::Empty,
            Some(c) if c.demo => Installation::Demo,
            Some(_) => Installation::Centre,
        })
    }

    /// Creates a centre admin (the command line's `lianban admin create`; no actor: whoever
    /// runs the binary on the server is trusted).
    ///
    /// # Errors
    /// `INVALID_STATE` on the demo's database, or when the named department is missing from a
    /// real centre; `CONFLICT` for a username in use; `INVALID_INPUT` for a bad name, mail
    /// address or password.
    pub async fn create_admin(&self, input: NewAdmin) -> Result<AdminCreated> {
        let username = validate::username("username", &input.username)?;
        let name = validate::required("name", &input.name, validate::MAX_NAME)?;
        let email = validate::email("email", &input.email)?;
        let centre_name = validate::required("centre", &input.centre_name, validate::MAX_NAME)?;
        let code = validate::code("department", &input.department_code)?;
        let department_name =
            validate::required("departmentName", &input.department_name, validate::MAX_NAME)?;
        check_new_password("password", &input.password, &username, &name)?;
        let sso_subject = validate::optional(
            "ssoSubject",
            input.sso_subject.as_deref(),
            validate::MAX_NAME,
        )?;
        let password = input.password.clone();
        let hash = tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(|e| Error::Internal(format!("password hash: {e}")))??;
        let now = self.now();
        let (_gate, txn) = self.begin_write().await?;
        if staff::Entity::find()
            .filter(staff::Column::Username.eq(username.as_str()))
            .one(&txn)
            .await?
            .is_some()
        {
            return Err(Error::Conflict(format!("the username {username} is taken")));
        }
        if let Some(subject) = &sso_subject
            && staff::Entity::find()
                .filter(staff::Column::SsoSubject.eq(subject.as_str()))
                .one(&txn)
                .await?
                .is_some()
        {
            return Err(Error::Conflict(format!(
                "the single sign-on identity {subject} is linked to someone already"
            )));
        }
        let held = centre::Entity::find().one(&txn).await?;
        let (centre_id, centre_name, new_centre) = match held {
            Some(c) if c.demo => {
                return Err(Error::InvalidState(
                    "this database holds the demo centre: a real centre starts from an empty database (set database_url to a new one)"
                        .to_owned(),
                ));
            }
            Some(c) => (c.id, c.name, false),
            None => {
                let id = Uuid::now_v7();
                centre::ActiveModel {
                    id: Set(id),
                    code: Set("CENTRE".to_owned()),
                    name: Set(centre_name.clone()),
                    demo: Set(false),
                    version: Set(0),
                    created_at: Set(now),
                }
                .insert(&txn)
                .await?;
                (id, centre_name, true)
            }
        };
        let department_id = match department::Entity::find()
            .filter(department::Column::Code.eq(code.as_str()))
            .one(&txn)
            .await?
        {
            Some(d) => d.id,
            None if new_centre => {
                let id = Uuid::now_v7();
                department::ActiveModel {
                    id: Set(id),
                    code: Set(code.clone()),
                    name: Set(department_name.clone()),
                    created_at: Set(now),
                    centre_id: Set(Some(centre_id)),
                    duties: Set(String::new()),
                    active: Set(true),
                    version: Set(0),
                }
                .insert(&txn)
                .await?;
                id
            }
            None => {
                return Err(Error::InvalidState(format!(
                    "the centre has no department {code}: name one of its departments with --department-code"
                )));
            }
        };
        let id = Uuid::now_v7();
        let person = staff::ActiveModel {
            id: Set(id),
            department_id: Set(department_id),
            username: Set(username.clone()),
            display_name: Set(name.clone()),
            email: Set(email),
            password_hash: Set(hash),
            roles: Set(RoleSet::of(&[Role::CenterAdmin]).stored()),
            active: Set(true),
            created_at: Set(now),
            centre_id: Set(Some(centre_id)),
            version: Set(0),
            must_change_password: Set(false),
            sso_subject: Set(sso_subject),
            deactivated_at: Set(None),
            password_changed_at: Set(Some(now)),
        }
        .insert(&txn)
        .await?;
        let mut happened = Vec::new();
        if new_centre {
            happened.push(
                NewEvent::system(EventKind::CentreCreated)
                    .after(json!({ "centreId": centre_id, "name": centre_name })),
            );
        }
        happened.push(NewEvent::system(EventKind::StaffSaved).after(json!({
            "staffId": id, "username": username, "name": name,
            "departmentId": department_id, "roles": ["CENTER_ADMIN"], "by": "lianban admin create",
        })));
        events::record(&txn, now, happened).await?;
        txn.commit().await?;
        self.forget_reference();
        Ok(AdminCreated {
            staff: crate::views::StaffView::try_from(person)?,
            centre: centre_name,
            new_centre,
        })
    }
}
