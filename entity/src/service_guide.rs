//! 办事指南 — one published version of a matter's service guide. Versions are never changed;
//! a new one is published instead.

use crate::{CaseKind, LimitUnit};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "service_guides")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub matter_id: Uuid,
    /// 1, 2, … per matter.
    pub version: i32,
    pub kind: CaseKind,
    pub limit_unit: LimitUnit,
    pub legal_limit: i32,
    pub promised_limit: i32,
    /// 急事急办 — the review limit of an urgent case's tasks, in working days.
    pub urgent_review_limit: Option<i32>,
    /// JSON array of `{name, sample}` (a sample form's link, or null).
    pub materials: Json,
    pub legal_basis: String,
    /// The fee; empty when free (不收费).
    pub fee: Option<String>,
    pub fee_basis: Option<String>,
    /// JSON array of the special procedures (`SuspensionKind` names) that may suspend the clock.
    pub special_procedures: Json,
    pub window_id: Option<Uuid>,
    pub notes: Option<String>,
    /// What changed, in the admin's words.
    pub change_note: Option<String>,
    pub published_by: Uuid,
    pub published_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
