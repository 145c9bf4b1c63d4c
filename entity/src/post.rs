//! 岗位 — a post of a department, with an A holder (B holders in `post_b_holders`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "posts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub department_id: Uuid,
    pub name: String,
    pub a_holder_id: Uuid,
    pub created_at: DateTimeUtc,
    pub centre_id: Option<Uuid>,
    pub active: bool,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
