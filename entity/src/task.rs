//! 协办环节 — one department's part of a case.

use crate::TaskStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "tasks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub department_id: Uuid,
    pub post_id: Uuid,
    pub assignee_id: Uuid,
    /// Set when a B holder works the task for the absent A holder.
    pub acting_for_id: Option<Uuid>,
    pub status: TaskStatus,
    pub clock_id: Uuid,
    pub review_limit: i32,
    pub opinion_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub resolved_at: Option<DateTimeUtc>,
    /// An urgent case's task: first in every queue.
    pub urgent: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
