//! The mail of oversight: a supervision item assigned or chased, a follow-up alert about a reply
//! deadline, a rectification after a bad review, a complaint against a department.

use super::forms;
use crate::follow_up::Alert;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// `supervision_assigned` (to the assignee named) and `supervision_chased` (督办, to the
/// assignee and the department's heads): a supervision item and its reply deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SupervisionMail {
    /// The supervision item.
    pub item_id: Uuid,
    /// Its case, if it is about one.
    #[serde(default)]
    pub case_id: Option<Uuid>,
    /// Its title.
    pub title: String,
    /// What it is about (事由).
    pub detail: String,
    /// The chaser's note (督办意见), for a chase.
    #[serde(default)]
    pub note: Option<String>,
    /// How many times it has been chased.
    pub chases: i32,
    /// When the answer is due, once set (stored as an empty string when there was none).
    #[serde(default, deserialize_with = "forms::blank_is_none::deserialize")]
    pub reply_due_at: Option<DateTime<Utc>>,
}

/// What a follow-up alert is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FollowUpKind {
    /// A supervision item's answer (督办事项反馈).
    Supervision,
    /// A rectification's answer (差评整改).
    Rectification,
    /// A complaint's reply (投诉答复).
    Complaint,
}

/// `follow_up_alert` — a reply deadline near, reached or passed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FollowUpAlert {
    /// What answers to the deadline.
    pub kind: FollowUpKind,
    /// The item's title, or the complaint's content.
    pub title: String,
    /// The department that answers.
    pub department: String,
    /// The deadline.
    #[serde(default)]
    pub reply_due_at: Option<DateTime<Utc>>,
    /// Which alert (`REMINDER`, `DUE`, `OVERDUE_2`, …).
    pub step: Alert,
    /// The case, if it is about one.
    #[serde(default)]
    pub case_id: Option<Uuid>,
}

/// `rectification_opened` — 差评整改: a rectification item after a bad review (to the lead
/// department's heads).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RectificationOpened {
    /// The case.
    pub case_id: Uuid,
    /// 办件编号.
    pub number: String,
    /// The item's title.
    pub title: String,
    /// What it is about.
    pub detail: String,
    /// When the answer is due.
    pub reply_due_at: DateTime<Utc>,
}

/// `complaint_filed` — 投诉: a complaint against a department (to its heads).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ComplaintFiled {
    /// The complaint.
    pub complaint_id: Uuid,
    /// Its case, if it is about one.
    #[serde(default)]
    pub case_id: Option<Uuid>,
    /// What the complainant said.
    pub content: String,
    /// When the reply is due.
    pub reply_due_at: DateTime<Utc>,
}
