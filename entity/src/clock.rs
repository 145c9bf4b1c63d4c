//! 时限 — a statutory clock: budget in a unit, start, state; the due time is derived and stored for sweeps.

use crate::{ClockState, LimitUnit};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "clocks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The case it belongs to.
    pub case_id: Uuid,
    /// The task it belongs to; empty for the case's own clock.
    pub task_id: Option<Uuid>,
    /// The department it answers to: its task's, or the lead department's for the case's own
    /// clock (kept so the boards count by department from an index).
    pub department_id: Option<Uuid>,
    pub unit: LimitUnit,
    pub budget: i64,
    pub started_at: DateTimeUtc,
    pub due_at: DateTimeUtc,
    pub state: ClockState,
    pub stopped_at: Option<DateTimeUtc>,
    pub provisional: bool,
    /// The highest escalation rung fired (0 none, 1 reminder, 2 due, 3 黄牌, 4 红牌).
    pub rung: i32,
    /// Daily overdue reminders sent.
    pub reminders: i32,
    /// When the next rung or reminder is due; empty when the ladder is done.
    pub next_rung_at: Option<DateTimeUtc>,
    /// An urgent case's clock: listed first, reminded earlier.
    pub urgent: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
