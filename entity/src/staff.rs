//! 工作人员 — a staff member: belongs to one department, holds roles, signs in with a password.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "staff")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub department_id: Uuid,
    #[sea_orm(unique)]
    pub username: String,
    pub display_name: String,
    pub email: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Comma-separated role names (`WINDOW,REVIEWER`).
    pub roles: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub centre_id: Option<Uuid>,
    pub version: i64,
    /// Signed in with a temporary password: nothing but changing it until it is changed.
    pub must_change_password: bool,
    /// Who the single sign-on provider says this is (its subject or employee number).
    pub sso_subject: Option<String>,
    pub deactivated_at: Option<DateTimeUtc>,
    pub password_changed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
