//! 好差评 — the applicant's one evaluation of a case.

use crate::{EvaluationChannel, EvaluationGrade};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "evaluations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// One per case.
    #[sea_orm(unique)]
    pub case_id: Uuid,
    pub grade: EvaluationGrade,
    pub channel: EvaluationChannel,
    pub comment: Option<String>,
    /// The case's lead department and window staff member, who answer for it.
    pub department_id: Uuid,
    pub staff_id: Uuid,
    /// The window staff member whose device took it; empty through the link.
    pub recorded_by: Option<Uuid>,
    pub evaluated_at: DateTimeUtc,
    /// The rectification item (整改) a bad review opened.
    pub rectification_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
