//! 投诉 — a complaint against a staff member, a department or a case.

use crate::{ComplaintCategory, ComplaintChannel, ComplaintStatus, ComplaintTarget};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "complaints")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub target: ComplaintTarget,
    /// The department that answers for it (the staff member's, or the case's lead department).
    pub department_id: Uuid,
    pub staff_id: Option<Uuid>,
    pub case_id: Option<Uuid>,
    pub channel: ComplaintChannel,
    /// Visible only to the centre admin and supervisors.
    pub complainant_name: String,
    /// Visible only to the centre admin and supervisors.
    pub complainant_phone: Option<String>,
    pub content: String,
    pub filed_by: Uuid,
    pub filed_at: DateTimeUtc,
    pub reply_due_at: DateTimeUtc,
    pub status: ComplaintStatus,
    pub reply: Option<String>,
    pub replied_by: Option<Uuid>,
    pub replied_at: Option<DateTimeUtc>,
    /// Working days the reply came after its deadline (0 when on time).
    pub late_working_days: Option<i32>,
    /// Follow-up alerts sent about the reply deadline.
    pub alerts: i32,
    /// When the next follow-up alert falls; empty once replied.
    pub next_alert_at: Option<DateTimeUtc>,
    /// What the centre found it was about (set when verified).
    pub category: Option<ComplaintCategory>,
    /// The centre's finding: true verified, false not upheld, empty not examined yet.
    pub verified: Option<bool>,
    pub verified_by: Option<Uuid>,
    pub verified_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
