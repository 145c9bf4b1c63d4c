//! 事项 — a catalogue entry: what can be applied for, who leads, who co-handles, and the limits.

use crate::{CaseKind, LimitUnit};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "matters")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub kind: CaseKind,
    pub lead_department_id: Uuid,
    /// The lead department's post that reviews promised cases.
    pub lead_post_id: Option<Uuid>,
    pub limit_unit: LimitUnit,
    /// 法定时限, in `limit_unit`.
    pub legal_limit: i32,
    /// 承诺时限, in `limit_unit`; never above the legal limit.
    pub promised_limit: i32,
    /// JSON array of material names.
    pub required_materials: Json,
    pub requires_publication: bool,
    pub deemed_consent: bool,
    pub created_at: DateTimeUtc,
    /// 办事指南 — the current published version; empty until the first.
    pub guide_version: Option<i32>,
    /// 急事急办 — the review limit of an urgent case's tasks, in working days.
    pub urgent_review_limit: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
