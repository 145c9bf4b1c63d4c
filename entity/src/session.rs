//! 会话 — one sign-in: the token names it; signing out or an admin ends it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub staff_id: Uuid,
    /// `PASSWORD` or `SSO`.
    pub method: String,
    pub address: Option<String>,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub ended_at: Option<DateTimeUtc>,
    pub ended_by: Option<Uuid>,
    /// `SIGNED_OUT`, `ENDED_BY_ADMIN`, `DEACTIVATED`, `PASSWORD_CHANGED`.
    pub end_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
