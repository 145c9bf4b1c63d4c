//! 考核记分 — one score entry: a rule applied to a department (and a staff member) because of
//! one cause, with the points the rule had then.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "score_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// One entry per cause and rule (`CASE_OVERDUE:<clock>`, `COMPLAINT_LATE_DAY:<complaint>`…).
    #[sea_orm(unique)]
    pub cause_key: String,
    pub rule_code: String,
    pub points: i32,
    pub department_id: Uuid,
    pub staff_id: Option<Uuid>,
    /// The event kind that caused it (`ESCALATED`, `TASK_DEEMED_APPROVED`, `COMPLAINT_REPLIED`,
    /// `COMPLAINT_VERIFIED`, `CASE_EVALUATED`, or `MANUAL`).
    pub cause_kind: String,
    pub case_id: Option<Uuid>,
    pub task_id: Option<Uuid>,
    pub complaint_id: Option<Uuid>,
    pub evaluation_id: Option<Uuid>,
    /// Why, in words a department reads.
    pub reason: String,
    /// Who wrote a manual entry.
    pub recorded_by: Option<Uuid>,
    pub occurred_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
