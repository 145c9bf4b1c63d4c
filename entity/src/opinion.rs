//! 意见 — a department's opinion on its task.

use crate::OpinionKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "opinions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub task_id: Uuid,
    pub case_id: Uuid,
    pub department_id: Uuid,
    /// Empty for a deemed approval (默认同意), which nobody wrote.
    pub author_id: Option<Uuid>,
    pub acting_for_id: Option<Uuid>,
    pub kind: OpinionKind,
    /// JSON array of condition texts (APPROVE_WITH_CONDITIONS).
    pub conditions: Json,
    pub reason: Option<String>,
    pub legal_basis: Option<String>,
    /// JSON array of missing material items (NEEDS_SUPPLEMENT).
    pub missing_items: Json,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
