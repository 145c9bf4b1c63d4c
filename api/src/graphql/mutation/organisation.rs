//! The organisation (centre admin; a department head for their own posts): departments, staff
//! and posts. Every change is an event; a change names the version it was made from and a
//! stale one is `CONFLICT`; a change that would leave a post, a department or the centre's
//! administration without anyone is `INVALID_STATE`, naming what to fix.

use super::accounts::PasswordReset;
use crate::graphql::enums::Role;
use crate::graphql::errors::Gql;
use crate::graphql::session::actor;
use crate::graphql::types::organisation::Post;
use crate::graphql::types::{Department, Staff, engine, parse_id};
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use lianban_engine::organisation::{SaveDepartment, SavePost, SaveStaff};

/// The organisation.
#[derive(Default)]
pub struct OrganisationMutation;

/// A department to create (no `id`) or change.
#[derive(InputObject)]
pub struct DepartmentInput {
    id: Option<ID>,
    /// The `version` read; required to change one.
    expected_version: Option<i64>,
    /// Letters, digits, `-`, `_` (upper-cased), unique.
    code: String,
    name: String,
    /// 工作职责, published.
    #[graphql(default)]
    duties: String,
}

/// A staff member to create (no `id`) or change.
#[derive(InputObject)]
pub struct StaffInput {
    id: Option<ID>,
    /// The `version` read; required to change one.
    expected_version: Option<i64>,
    username: String,
    name: String,
    email: String,
    department_id: ID,
    roles: Vec<Role>,
    /// Who the single sign-on provider says this is (its subject or employee number).
    sso_subject: Option<String>,
    /// A new account's first password: a one-time link by mail (the default) or a temporary
    /// password returned once.
    first_password: Option<PasswordReset>,
}

/// A post to create (no `id`) or whose holders change.
#[derive(InputObject)]
pub struct PostInput {
    id: Option<ID>,
    /// The `version` read; required to change one.
    expected_version: Option<i64>,
    department_id: ID,
    name: String,
    /// A岗.
    a_holder_id: ID,
    /// B岗, in the order they stand in.
    #[graphql(default)]
    b_holder_ids: Vec<ID>,
}

/// A saved staff member, and for a new account how its first password was given.
#[derive(SimpleObject)]
pub struct SaveStaffPayload {
    staff: Staff,
    /// A new account's temporary password (shown once).
    temporary_password: Option<String>,
    /// Until when a new account's mailed link works.
    link_expires_at: Option<DateTime<Utc>>,
}

async fn set_active(
    ctx: &Context<'_>,
    id: &ID,
    expected_version: i64,
    active: bool,
) -> async_graphql::Result<Staff> {
    let actor = actor(ctx).await?;
    let id = parse_id("id", id)?;
    Ok(Staff::from(
        engine(ctx)?
            .set_staff_active(actor, id, expected_version, active)
            .await
            .gql()?,
    ))
}

fn optional_id(field: &str, id: Option<&ID>) -> async_graphql::Result<Option<uuid::Uuid>> {
    id.map(|id| parse_id(field, id)).transpose()
}

#[Object]
impl OrganisationMutation {
    /// Creates or changes a department (centre admin).
    async fn save_department(
        &self,
        ctx: &Context<'_>,
        input: DepartmentInput,
    ) -> async_graphql::Result<Department> {
        let actor = actor(ctx).await?;
        let saved = engine(ctx)?
            .save_department(
                actor,
                SaveDepartment {
                    id: optional_id("id", input.id.as_ref())?,
                    expected_version: input.expected_version,
                    code: input.code,
                    name: input.name,
                    duties: input.duties,
                },
            )
            .await
            .gql()?;
        Ok(Department(saved))
    }

    /// Deactivates a department (centre admin); it is never deleted. Refused while matters
    /// name it, it has open tasks, or active staff, windows or posts remain in it.
    async fn deactivate_department(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i64,
    ) -> async_graphql::Result<Department> {
        let actor = actor(ctx).await?;
        let id = parse_id("id", &id)?;
        Ok(Department(
            engine(ctx)?
                .deactivate_department(actor, id, expected_version)
                .await
                .gql()?,
        ))
    }

    /// Creates or changes a staff member: name, mail, department (a move), roles (granted and
    /// withdrawn), single sign-on identity (centre admin).
    async fn save_staff(
        &self,
        ctx: &Context<'_>,
        input: StaffInput,
    ) -> async_graphql::Result<SaveStaffPayload> {
        let actor = actor(ctx).await?;
        let saved = engine(ctx)?
            .save_staff(
                actor,
                SaveStaff {
                    id: optional_id("id", input.id.as_ref())?,
                    expected_version: input.expected_version,
                    username: input.username,
                    name: input.name,
                    email: input.email,
                    department_id: parse_id("departmentId", &input.department_id)?,
                    roles: input.roles.into_iter().map(Into::into).collect(),
                    sso_subject: input.sso_subject,
                    first_password: input.first_password.map(Into::into),
                },
            )
            .await
            .gql()?;
        let first = saved
            .first_password
            .unwrap_or(lianban_engine::access::ResetOutcome {
                temporary_password: None,
                link_expires_at: None,
            });
        Ok(SaveStaffPayload {
            staff: Staff::from(saved.staff),
            temporary_password: first.temporary_password,
            link_expires_at: first.link_expires_at,
        })
    }

    /// Deactivates a staff member (centre admin): they sign in no more, every sign-in of theirs
    /// ends, and their open tasks go to their post's next holder at once.
    async fn deactivate_staff(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i64,
    ) -> async_graphql::Result<Staff> {
        set_active(ctx, &id, expected_version, false).await
    }

    /// Reactivates a staff member (centre admin); tasks handed to a stand-in come back.
    async fn reactivate_staff(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i64,
    ) -> async_graphql::Result<Staff> {
        set_active(ctx, &id, expected_version, true).await
    }

    /// Creates a post or changes its name and holders — the AB arrangement (AB岗安排): centre
    /// admin, or the head of the post's department.
    async fn save_post(&self, ctx: &Context<'_>, input: PostInput) -> async_graphql::Result<Post> {
        let actor = actor(ctx).await?;
        let b_holder_ids = input
            .b_holder_ids
            .iter()
            .map(|id| parse_id("bHolderIds", id))
            .collect::<async_graphql::Result<Vec<_>>>()?;
        let saved = engine(ctx)?
            .save_post(
                actor,
                SavePost {
                    id: optional_id("id", input.id.as_ref())?,
                    expected_version: input.expected_version,
                    department_id: parse_id("departmentId", &input.department_id)?,
                    name: input.name,
                    a_holder_id: parse_id("aHolderId", &input.a_holder_id)?,
                    b_holder_ids,
                },
            )
            .await
            .gql()?;
        Ok(Post(saved))
    }
}
