//! 登录日志 — one sign-in attempt: who, when, from where, and how it ended.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sign_ins")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub at: DateTimeUtc,
    /// The username as given (or the single sign-on subject).
    pub username: String,
    pub staff_id: Option<Uuid>,
    pub address: Option<String>,
    /// `PASSWORD` or `SSO`.
    pub method: String,
    /// `lianban_rules::accounts::SignInOutcome`.
    pub outcome: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
