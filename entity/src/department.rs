//! 部门 — a department (or window unit) of the centre.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "departments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub created_at: DateTimeUtc,
    pub centre_id: Option<Uuid>,
    /// 工作职责, published.
    pub duties: String,
    /// Deactivated departments keep their rows (history names them).
    pub active: bool,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
