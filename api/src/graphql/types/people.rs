//! Staff members and departments. People are for signed-in staff only (the public sees a
//! window's name and place, never who works there); a staff member's email and absences only
//! where the reader's role needs them (`policy::staff_visibility`).

use super::{department_link, engine};
use crate::graphql::enums::Role;
use crate::graphql::errors::Gql;
use crate::graphql::session::actor;
use async_graphql::{Context, ID, Object};
use lianban_engine::views::{DepartmentView, StaffView};
use lianban_rules::policy::{StaffVisibility, lists_whole_department, staff_visibility};

/// 工作人员
pub struct Staff {
    row: StaffView,
    /// Read by the person themself (the answer to `login`, before the token is in use).
    own: bool,
}

impl From<StaffView> for Staff {
    fn from(row: StaffView) -> Self {
        Staff { row, own: false }
    }
}

impl Staff {
    /// The person, as they read themself.
    pub fn own(row: StaffView) -> Self {
        Staff { row, own: true }
    }

    /// Refuses an anonymous reader.
    ///
    /// # Errors
    /// `UNAUTHENTICATED`.
    async fn signed_in(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        if !self.own {
            actor(ctx).await?;
        }
        Ok(())
    }

    /// What the signed-in reader sees of this person.
    ///
    /// # Errors
    /// `UNAUTHENTICATED` for an anonymous reader.
    async fn visibility(&self, ctx: &Context<'_>) -> async_graphql::Result<StaffVisibility> {
        if self.own {
            return Ok(StaffVisibility {
                contact: true,
                absences: true,
            });
        }
        let reader = actor(ctx).await?;
        Ok(staff_visibility(
            reader,
            self.row.id,
            self.row.department_id,
        ))
    }
}

#[Object]
impl Staff {
    async fn id(&self, ctx: &Context<'_>) -> async_graphql::Result<ID> {
        self.signed_in(ctx).await?;
        Ok(ID(self.row.id.to_string()))
    }

    async fn username(&self, ctx: &Context<'_>) -> async_graphql::Result<&str> {
        self.signed_in(ctx).await?;
        Ok(&self.row.username)
    }

    /// Display name.
    async fn name(&self, ctx: &Context<'_>) -> async_graphql::Result<&str> {
        self.signed_in(ctx).await?;
        Ok(&self.row.display_name)
    }

    /// The work email: for the person, their department head and the centre admin; null for
    /// other readers.
    async fn email(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<&str>> {
        Ok(self
            .visibility(ctx)
            .await?
            .contact
            .then_some(self.row.email.as_str()))
    }

    async fn department(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Department>> {
        self.signed_in(ctx).await?;
        department_link(ctx, self.row.department_id).await
    }

    /// Absences that have not ended (离岗/请假): for the person's own department and those who
    /// read everything; null for other readers.
    async fn absences(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Vec<super::Absence>>> {
        if !self.visibility(ctx).await?.absences {
            return Ok(None);
        }
        Ok(Some(
            engine(ctx)?
                .current_absences(self.row.id)
                .await
                .gql()?
                .into_iter()
                .map(super::Absence)
                .collect(),
        ))
    }

    async fn roles(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Role>> {
        self.signed_in(ctx).await?;
        Ok(self.row.roles.iter().map(Role::from).collect())
    }

    /// False once deactivated: they sign in no more.
    async fn active(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        self.signed_in(ctx).await?;
        Ok(self.row.active)
    }

    async fn deactivated_at(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<chrono::DateTime<chrono::Utc>>> {
        self.signed_in(ctx).await?;
        Ok(self.row.deactivated_at)
    }

    /// The version an edit names (`saveStaff(input: { expectedVersion })`).
    async fn version(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        self.signed_in(ctx).await?;
        Ok(self.row.version)
    }

    /// Who the single sign-on provider says this is (the person, their department head and
    /// the centre admin; null for others).
    async fn sso_subject(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<&str>> {
        Ok(if self.visibility(ctx).await?.contact {
            self.row.sso_subject.as_deref()
        } else {
            None
        })
    }

    /// Signed in with a temporary password not yet changed (the same readers as the email).
    async fn must_change_password(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(self.visibility(ctx).await?.contact && self.row.must_change_password)
    }
}

/// 部门
pub struct Department(pub DepartmentView);

#[Object]
impl Department {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn code(&self) -> &str {
        &self.0.code
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    /// 工作职责 — its duties, as published.
    async fn duties(&self) -> &str {
        &self.0.duties
    }

    /// False once deactivated (it keeps its name in history).
    async fn active(&self) -> bool {
        self.0.active
    }

    /// The version an edit names (`saveDepartment(input: { expectedVersion })`).
    async fn version(&self) -> i64 {
        self.0.version
    }

    /// Its staff, by username — for signed-in staff: the whole department for its own staff
    /// and those who read everything; for others only its window staff.
    async fn staff(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Staff>> {
        let reader = actor(ctx).await?;
        let whole = lists_whole_department(reader, self.0.id);
        Ok(engine(ctx)?
            .department_staff(self.0.id)
            .await
            .gql()?
            .into_iter()
            .filter(|s| whole || s.roles.contains(lianban_engine::Role::Window))
            .map(Staff::from)
            .collect())
    }
}

/// Every department, for pickers.
pub(crate) async fn all_departments(ctx: &Context<'_>) -> async_graphql::Result<Vec<Department>> {
    Ok(engine(ctx)?
        .departments()
        .await
        .gql()?
        .into_iter()
        .map(Department)
        .collect())
}
