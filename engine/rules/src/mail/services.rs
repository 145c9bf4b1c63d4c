//! The mail of the centre's services: an online booking's code, a booking confirmed, reminded
//! or cancelled (to the applicant), a holiday request (to the duty officers) and window staff
//! summoned for it.

use super::forms;
use crate::enums::AppointmentKind;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// `appointment_code` — the code that confirms an online booking. It names nothing the caller
/// typed (a name, a note, an address): the mail opens with the centre's own words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppointmentCode {
    /// 预约号.
    pub code: String,
    /// What kind of booking (stored as its label, `窗口预约`).
    #[serde(with = "forms::label")]
    pub kind: AppointmentKind,
    /// The matter's name.
    pub matter: String,
    /// The code to enter.
    pub confirmation_code: String,
    /// How long it is valid, in minutes.
    pub valid_minutes: i64,
    /// When the slot starts (none for a holiday request).
    #[serde(default)]
    pub slot_start: Option<DateTime<Utc>>,
    /// When it ends.
    #[serde(default)]
    pub slot_end: Option<DateTime<Utc>>,
    /// The window's name.
    #[serde(default)]
    pub window: Option<String>,
    /// Where the window is.
    #[serde(default)]
    pub location: Option<String>,
    /// The day asked for (a holiday request).
    #[serde(default)]
    pub day: Option<NaiveDate>,
}

/// `appointment_confirmed` — a booking confirmed to the applicant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppointmentConfirmed {
    /// 预约号.
    pub code: String,
    /// What kind of booking (stored as its label).
    #[serde(with = "forms::label")]
    pub kind: AppointmentKind,
    /// The matter's name.
    pub matter: String,
    /// The applicant's name.
    pub applicant: String,
    /// When the slot starts.
    #[serde(default)]
    pub slot_start: Option<DateTime<Utc>>,
    /// When it ends.
    #[serde(default)]
    pub slot_end: Option<DateTime<Utc>>,
    /// Whether a reminder follows the working day before.
    #[serde(default)]
    pub reminder: bool,
    /// The window's name.
    #[serde(default)]
    pub window: Option<String>,
    /// Where the window is.
    #[serde(default)]
    pub location: Option<String>,
    /// A home visit's address.
    #[serde(default)]
    pub address: Option<String>,
}

/// `appointment_reminder` — the working day before a booking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppointmentReminder {
    /// 预约号.
    pub code: String,
    /// What kind of booking (stored as its label).
    #[serde(with = "forms::label")]
    pub kind: AppointmentKind,
    /// The matter's name, when known.
    #[serde(default)]
    pub matter: Option<String>,
    /// The applicant's name.
    pub applicant: String,
    /// When the slot starts.
    #[serde(default)]
    pub slot_start: Option<DateTime<Utc>>,
    /// When it ends.
    #[serde(default)]
    pub slot_end: Option<DateTime<Utc>>,
    /// The window's name.
    #[serde(default)]
    pub window: Option<String>,
    /// Where the window is.
    #[serde(default)]
    pub location: Option<String>,
    /// A home visit's address.
    #[serde(default)]
    pub address: Option<String>,
}

/// `appointment_cancelled` — a booking called off by the centre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppointmentCancelled {
    /// 预约号.
    pub code: String,
    /// The matter's name.
    pub matter: String,
    /// The applicant's name.
    pub applicant: String,
    /// When the slot started.
    #[serde(default)]
    pub slot_start: Option<DateTime<Utc>>,
    /// The day asked for (a holiday request).
    #[serde(default)]
    pub day: Option<NaiveDate>,
    /// Why.
    pub reason: String,
}

/// `holiday_request` — 节假日办理申请, to the day's duty officers (the centre admins when
/// nobody is on duty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HolidayRequest {
    /// 预约号.
    pub code: String,
    /// The day asked for.
    pub day: NaiveDate,
    /// The matter's name.
    pub matter: String,
    /// The applicant's name.
    pub applicant: String,
    /// Their phone.
    pub phone: String,
    /// A home visit's address.
    #[serde(default)]
    pub address: Option<String>,
    /// The applicant's note.
    #[serde(default)]
    pub note: Option<String>,
    /// Nobody is on duty that day: the mail goes to the centre admins.
    #[serde(default)]
    pub nobody_on_duty: bool,
}

/// `window_staff_summoned` — 值班召集: window staff called in for a holiday request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WindowStaffSummoned {
    /// 预约号.
    pub code: String,
    /// The matter's name.
    pub matter: String,
    /// The applicant's name.
    pub applicant: String,
    /// Their phone.
    pub phone: String,
    /// A home visit's address.
    #[serde(default)]
    pub address: Option<String>,
    /// The applicant's note.
    #[serde(default)]
    pub note: Option<String>,
    /// When to be there.
    pub slot_start: DateTime<Utc>,
    /// Until when.
    pub slot_end: DateTime<Utc>,
}
