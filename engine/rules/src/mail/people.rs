//! The mail about people and the calendar: a day on the duty roster, days nobody is on duty, a
//! department with nobody available, a year's holiday schedule missing.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// `duty_assigned` — 值班: you are on duty that day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DutyAssigned {
    /// The day.
    pub day: NaiveDate,
}

/// `duty_gap` — days with nobody on duty (to the centre admins).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DutyGap {
    /// The days.
    pub days: Vec<GapDay>,
}

/// A day with nobody on duty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GapDay {
    /// The day.
    pub day: NaiveDate,
    /// Whether it is a working day.
    #[serde(default)]
    pub working: bool,
    /// Its name in the calendar (国庆节), if any.
    #[serde(default)]
    pub name: Option<String>,
}

/// `department_unstaffed` — AB岗: both holders of a department's posts away (to the centre
/// admins, once a day).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DepartmentUnstaffed {
    /// The department.
    pub department_id: Uuid,
    /// Its name.
    pub department: String,
    /// The day.
    pub day: NaiveDate,
}

/// `calendar_year_missing` — deadlines run into a year whose holiday schedule is not entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CalendarYearMissing {
    /// The year.
    pub year: i32,
}

/// `password_link` — a one-time link to set a password: after an admin's reset, or to a new
/// account (`welcome`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordLink {
    /// The person's name.
    pub name: String,
    /// Their username.
    pub username: String,
    /// The link's secret (only its hash is kept with the reset).
    pub token: String,
    /// Until when the link works.
    pub expires_at: chrono::DateTime<chrono::Utc>,
    /// A new account's first password rather than a reset.
    #[serde(default)]
    pub welcome: bool,
}
