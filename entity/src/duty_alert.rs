//! A day the centre admin was already told has nobody on duty (so the alert goes once).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "duty_alerts")]
pub struct Model {
    /// `YYYY-MM-DD`, Asia/Shanghai.
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: String,
    pub alerted_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
