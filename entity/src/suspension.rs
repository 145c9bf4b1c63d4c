//! 中止 — a period during which a case's clocks stand still: a supplement or a special
//! procedure (听证/专家评审/检验检测/公示/现场勘验), with reason, legal basis and expected length.

use crate::{CaseStatus, SuspensionKind};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "suspensions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub kind: SuspensionKind,
    /// The status the case returns to when resumed.
    pub previous_status: CaseStatus,
    pub reason: String,
    pub legal_basis: Option<String>,
    /// Expected length in working days.
    pub expected_days: Option<i32>,
    pub started_at: DateTimeUtc,
    pub started_by: Uuid,
    pub ended_at: Option<DateTimeUtc>,
    pub ended_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
