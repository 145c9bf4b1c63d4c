//! Views of services: what the engine's reads and verbs hand out instead of table
//! rows (the domain's enums, no storage details).

use chrono::{DateTime, Utc};
use lianban_entity::appointment;
use uuid::Uuid;

/// 预约 — a booking, a home visit or a holiday request.
#[derive(Debug, Clone, PartialEq)]
pub struct AppointmentView {
    pub id: Uuid,
    /// The booking code the applicant quotes (预约号).
    pub code: String,
    pub kind: lianban_rules::AppointmentKind,
    pub status: lianban_rules::AppointmentStatus,
    pub matter_id: Uuid,
    pub window_id: Option<Uuid>,
    pub slot_start: Option<DateTime<Utc>>,
    pub slot_end: Option<DateTime<Utc>>,
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
    pub booked_at: DateTime<Utc>,
    /// When the reminder is due (the opening of the working day before the slot).
    pub remind_at: Option<DateTime<Utc>>,
    pub reminded_at: Option<DateTime<Utc>>,
    /// The staff the duty officer summoned.
    pub summoned: Vec<Uuid>,
    /// Who received, marked missed, arranged or cancelled it, and when.
    pub handled_by: Option<Uuid>,
    pub handled_at: Option<DateTime<Utc>>,
    /// The case opened when it was received.
    pub case_id: Option<Uuid>,
    pub updated_at: DateTime<Utc>,
    /// Wrong codes entered so far.
    pub confirmation_attempts: i32,
    /// An unconfirmed booking lapses at this instant.
    pub confirm_by: Option<DateTime<Utc>>,
}

impl From<appointment::Model> for AppointmentView {
    fn from(m: appointment::Model) -> Self {
        AppointmentView {
            id: m.id,
            code: m.code,
            kind: m.kind.into(),
            status: m.status.into(),
            matter_id: m.matter_id,
            window_id: m.window_id,
            slot_start: m.slot_start,
            slot_end: m.slot_end,
            requested_day: m.requested_day,
            address: m.address,
            applicant_name: m.applicant_name,
            applicant_id_number: m.applicant_id_number,
            applicant_phone: m.applicant_phone,
            applicant_email: m.applicant_email,
            note: m.note,
            booked_by: m.booked_by,
            booked_at: m.booked_at,
            remind_at: m.remind_at,
            reminded_at: m.reminded_at,
            summoned: super::list(m.summoned),
            handled_by: m.handled_by,
            handled_at: m.handled_at,
            case_id: m.case_id,
            updated_at: m.updated_at,
            confirmation_attempts: m.confirmation_attempts,
            confirm_by: m.confirm_by,
        }
    }
}
