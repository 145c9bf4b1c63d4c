//! 日历版本 — one version of a year's holiday schedule, entered by a centre admin.
//! Append-only: the highest version of a year is the one in force.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "calendar_year_versions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub version: i32,
    pub source: String,
    /// JSON array of `{date, name}` days off.
    pub holidays: Json,
    /// JSON array of `{date, name}` make-up working days.
    pub make_up_days: Json,
    pub changed_by: Uuid,
    pub changed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
