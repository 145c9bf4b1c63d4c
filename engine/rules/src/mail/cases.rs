//! The mail of a case's own course: a task assigned, the first responder told of each status, a
//! task deemed approved, an objection overruled, a negative report to sign, a case marked urgent.

use super::forms;
use crate::enums::{CaseStatus, NegativeOutcome, UrgentCategory};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// `task_assigned` — a department's new task (to its assignee).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskAssigned {
    /// The case.
    pub case_id: Uuid,
    /// 办件编号.
    pub number: String,
    /// The task.
    pub task_id: Uuid,
}

/// `case_status_changed` — the first responder hears of a case's move.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseStatusChanged {
    /// The case.
    pub case_id: Uuid,
    /// 办件编号.
    pub number: String,
    /// The status it left.
    pub from: CaseStatus,
    /// The status it is in now.
    pub to: CaseStatus,
}

/// `task_deemed_approved` — a task left unanswered at its deadline resolved as approved (to
/// the department's heads).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskDeemedApproved {
    /// The case.
    pub case_id: Uuid,
    /// 办件编号.
    pub number: String,
    /// The task.
    pub task_id: Uuid,
}

/// `objection_overruled` — 书面告知: the lead window approved over a department's objection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectionOverruled {
    /// The case.
    pub case_id: Uuid,
    /// 办件编号.
    pub number: String,
    /// The objecting department's name.
    pub department: String,
    /// Its objection.
    pub objection: String,
    /// Why the lead window approved all the same.
    pub reason: String,
}

/// `negative_report_pending` — a negative report waiting for the signer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NegativeReportPending {
    /// The case.
    pub case_id: Uuid,
    /// 办件编号.
    pub number: String,
    /// The report.
    pub report_id: Uuid,
    /// The outcome it asks for.
    pub outcome: NegativeOutcome,
}

/// `task_urgent` — 急件: a case marked urgent (to each open task's assignee).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskUrgent {
    /// The case.
    pub case_id: Uuid,
    /// The task.
    pub task_id: Uuid,
    /// Why it is urgent (stored as its label, `重大投资项目`).
    #[serde(with = "forms::label")]
    pub category: UrgentCategory,
    /// The window's reason.
    pub reason: String,
    /// The task's shortened review limit in working days, when it was shortened.
    #[serde(default)]
    pub limit: Option<i32>,
    /// The task's new due time, when it was shortened.
    #[serde(default)]
    pub due_at: Option<DateTime<Utc>>,
}
