//! Staff members and departments.

use super::{department_link, engine};
use crate::graphql::enums::Role;
use crate::graphql::errors::Gql;
use async_graphql::{Context, ID, Object};
use lianban_engine::entity::{department, staff};

/// 工作人员
pub struct Staff(pub staff::Model);

#[Object]
impl Staff {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn username(&self) -> &str {
        &self.0.username
    }

    /// Display name.
    async fn name(&self) -> &str {
        &self.0.display_name
    }

    async fn email(&self) -> &str {
        &self.0.email
    }

    async fn department(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Department>> {
        department_link(ctx, self.0.department_id).await
    }

    /// Absences that have not ended (离岗/请假).
    async fn absences(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<super::Absence>> {
        Ok(engine(ctx)?
            .current_absences(self.0.id)
            .await
            .gql()?
            .into_iter()
            .map(super::Absence)
            .collect())
    }

    async fn roles(&self) -> async_graphql::Result<Vec<Role>> {
        let roles = lianban_engine::Role::parse_list(&self.0.roles).gql()?;
        Ok(roles.into_iter().map(Role::from).collect())
    }
}

/// 部门
pub struct Department(pub department::Model);

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

    /// Its staff, by username.
    async fn staff(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Staff>> {
        Ok(engine(ctx)?
            .department_staff(self.0.id)
            .await
            .gql()?
            .into_iter()
            .map(Staff)
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
