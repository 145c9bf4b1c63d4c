//! 限流计数 — one counter of attempts under a key (`signin:pair:…`, `booking:phone:…:2026-11-23`),
//! shared by every process.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "throttles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    /// Attempts counted since `window_started_at` (sign-in: consecutive failures).
    pub count: i32,
    pub window_started_at: DateTimeUtc,
    /// No attempt is taken before this instant.
    pub blocked_until: Option<DateTimeUtc>,
    /// The last successful sign-in under this key.
    pub last_success_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
