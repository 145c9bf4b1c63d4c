//! 预约 — a booked slot at a window, a home visit, or a holiday request for the duty officer.

use crate::{AppointmentKind, AppointmentStatus};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "appointments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The booking code the applicant quotes (预约号).
    pub code: String,
    pub kind: AppointmentKind,
    pub status: AppointmentStatus,
    pub matter_id: Uuid,
    pub window_id: Option<Uuid>,
    pub slot_start: Option<DateTimeUtc>,
    pub slot_end: Option<DateTimeUtc>,
    /// A holiday request's day (`YYYY-MM-DD`, Asia/Shanghai).
    pub requested_day: Option<String>,
    /// Where a home visit goes.
    pub address: Option<String>,
    pub applicant_name: String,
    pub applicant_id_number: String,
    pub applicant_phone: String,
    pub applicant_email: String,
    pub note: Option<String>,
    /// The window staff member who booked on the applicant's behalf; empty when booked online.
    pub booked_by: Option<Uuid>,
    pub booked_at: DateTimeUtc,
    /// When the reminder is due (the opening of the working day before the slot).
    pub remind_at: Option<DateTimeUtc>,
    pub reminded_at: Option<DateTimeUtc>,
    /// JSON array of the staff ids the duty officer summoned.
    pub summoned: Json,
    /// Who received, marked missed, arranged or cancelled it, and when.
    pub handled_by: Option<Uuid>,
    pub handled_at: Option<DateTimeUtc>,
    /// The case opened when it was received.
    pub case_id: Option<Uuid>,
    pub updated_at: DateTimeUtc,
    /// A hash of the code mailed to confirm an online booking; empty once confirmed (or for a
    /// booking made by staff).
    pub confirmation_code_hash: Option<String>,
    /// Wrong codes entered so far.
    pub confirmation_attempts: i32,
    /// An unconfirmed booking lapses at this instant.
    pub confirm_by: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
