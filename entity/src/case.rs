//! 办件 — one application and its lifecycle.

use crate::{CaseKind, CaseStatus, DecisionOutcome};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "cases")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub number: String,
    pub matter_id: Uuid,
    pub kind: CaseKind,
    pub status: CaseStatus,
    pub applicant_name: String,
    pub applicant_id_number: String,
    pub applicant_phone: String,
    /// 首问责任人
    pub first_responder_id: Uuid,
    /// The window staff member who leads the case.
    pub lead_staff_id: Uuid,
    pub lead_department_id: Uuid,
    pub clock_id: Option<Uuid>,
    pub received_at: DateTimeUtc,
    pub accepted_at: Option<DateTimeUtc>,
    pub decided_at: Option<DateTimeUtc>,
    pub decision: Option<DecisionOutcome>,
    pub decision_reason: Option<String>,
    /// JSON array of `{department, text}` conditions attached to the decision.
    pub decision_conditions: Option<Json>,
    /// Bumped by every change; the first write of a case transaction, so it also locks the row.
    pub version: i64,
    pub updated_at: DateTimeUtc,
    /// 延期 — working days added by the one extension a case may have.
    pub extension_days: Option<i32>,
    pub extension_reason: Option<String>,
    pub extended_by: Option<Uuid>,
    pub extended_at: Option<DateTimeUtc>,
    /// 上报件 — the upper authority the case was reported to.
    pub upper_authority: Option<String>,
    /// 送达 — when and how the result reached the applicant.
    pub delivered_at: Option<DateTimeUtc>,
    pub delivery_method: Option<String>,
    pub archived_at: Option<DateTimeUtc>,
    /// The code on the decision notice that lets the applicant evaluate the case by link.
    pub evaluation_code: Option<String>,
    /// The service guide version it was received and accepted under.
    pub guide_version: Option<i32>,
    /// 急事急办 — marked urgent by the lead window, with a category and a reason.
    pub urgent: bool,
    pub urgent_category: Option<crate::UrgentCategory>,
    pub urgent_reason: Option<String>,
    pub urgent_by: Option<Uuid>,
    pub urgent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
