//! 否定报备 — a denial, non-acceptance or return filed for signature; it takes effect only when
//! the right person signs it.

use crate::{NegativeOutcome, ReportStatus};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "negative_reports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub outcome: NegativeOutcome,
    pub reason: String,
    pub legal_basis: String,
    /// JSON array of `{department, reason, legalBasis}`: the objections the denial rests on.
    pub objections: Json,
    pub status: ReportStatus,
    /// `DEPT_HEAD` or `LEADER`.
    pub signer_role: String,
    pub filed_by: Uuid,
    pub filed_at: DateTimeUtc,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTimeUtc>,
    pub comment: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
