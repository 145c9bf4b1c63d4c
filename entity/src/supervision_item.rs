//! 督办事项 — a supervision item: opened by the escalation ladder (黄牌) or a supervisor, raised
//! to leadership (红牌), then 承办 → 督办 → 反馈 → 归档.

use crate::{SupervisionLevel, SupervisionSource, SupervisionStatus};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "supervision_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The department supervised.
    pub department_id: Uuid,
    pub case_id: Option<Uuid>,
    pub task_id: Option<Uuid>,
    /// The clock whose overrun opened it (one item per clock).
    pub clock_id: Option<Uuid>,
    pub source: SupervisionSource,
    pub level: SupervisionLevel,
    pub status: SupervisionStatus,
    pub title: String,
    pub detail: String,
    pub opened_by: Option<Uuid>,
    pub opened_at: DateTimeUtc,
    /// When it was raised to leadership (红牌).
    pub raised_at: Option<DateTimeUtc>,
    /// Who answers for the department (承办).
    pub assignee_id: Option<Uuid>,
    pub reply_due_at: Option<DateTimeUtc>,
    /// How many times it was chased (督办).
    pub chases: i32,
    pub answer: Option<String>,
    pub answered_at: Option<DateTimeUtc>,
    pub archived_at: Option<DateTimeUtc>,
    /// Follow-up alerts sent about the reply deadline (reminder, due, then daily while late).
    pub alerts: i32,
    /// When the next follow-up alert falls; empty when none is pending.
    pub next_alert_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
