//! 服务窗口 — a window of a department that takes appointments: its office hours, slot length
//! and how many applicants one slot takes.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "service_windows")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub department_id: Uuid,
    /// 3号窗口
    pub name: String,
    /// Where it is (一楼大厅东侧).
    pub location: String,
    /// JSON array of `"HH:MM-HH:MM"` periods on working days; empty for the centre's hours.
    pub office_hours: Json,
    pub slot_minutes: i32,
    /// Applicants per slot.
    pub capacity: i32,
    /// Whether it offers home visits (上门服务).
    pub home_visits: bool,
    pub active: bool,
    /// Bumped by every booking: the first write of a booking transaction, so it locks the row.
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub centre_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
