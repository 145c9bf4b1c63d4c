//! 事件 — one append-only record of a change: who, acting for whom, what, when, before and after.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub seq: i64,
    pub case_id: Option<Uuid>,
    pub task_id: Option<Uuid>,
    pub actor_id: Option<Uuid>,
    pub acting_for_id: Option<Uuid>,
    pub kind: String,
    pub at: DateTimeUtc,
    pub before: Option<Json>,
    pub after: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
