//! 协办部门 — a co-handling department of a matter, the post that works its task, and its review limit.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "matter_departments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub matter_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub department_id: Uuid,
    pub post_id: Uuid,
    /// Review limit in working days.
    pub review_limit: i32,
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
