//! 时限 — a statutory clock: budget in a unit, start, state; the due time is derived and stored for sweeps.

use crate::{ClockState, LimitUnit};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "clocks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub unit: LimitUnit,
    pub budget: i64,
    pub started_at: DateTimeUtc,
    pub due_at: DateTimeUtc,
    pub state: ClockState,
    pub stopped_at: Option<DateTimeUtc>,
    pub provisional: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
