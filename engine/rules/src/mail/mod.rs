//! 邮件 — a message a decision asks to be sent: to whom, and which [`Mail`] — one type per
//! template, with its fields (the engine queues it in the outbox in the same transaction as the
//! event that causes it); how the sender retries; and the facts a template names about a case.
//!
//! The outbox stores a mail as its template key (`task_assigned`, `ladder_due`, …) and its
//! payload, the template's struct as JSON with camelCase field names. Those keys and shapes are
//! the stored form of messages already queued, so they do not change: [`Mail::stored`] writes
//! them, [`Mail::decode`] reads them back.
//!
//! The templates by domain: [`cases`] (tasks, status, decisions, urgent cases), [`ladder`] (the
//! escalation ladder, the duty officer's copy, the leaders' digest), [`oversight`]
//! (supervision, follow-ups, rectifications, complaints), [`services`] (appointments, holiday
//! requests) and [`people`] (the duty roster, unstaffed departments, the calendar).

pub mod cases;
mod forms;
pub mod ladder;
pub mod oversight;
pub mod people;
pub mod services;
#[cfg(test)]
mod tests;

use crate::clocks::Light;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

pub use cases::{
    CaseStatusChanged, NegativeReportPending, ObjectionOverruled, TaskAssigned, TaskDeemedApproved,
    TaskUrgent,
};
pub use ladder::{DigestCard, DigestGroup, DigestItem, LadderItem, LadderMail, LeadershipDigest};
pub use oversight::{
    ComplaintFiled, FollowUpAlert, FollowUpKind, RectificationOpened, SupervisionMail,
};
pub use people::{
    CalendarYearMissing, DepartmentUnstaffed, DutyAssigned, DutyGap, GapDay, PasswordLink,
};
pub use services::{
    AppointmentCancelled, AppointmentCode, AppointmentConfirmed, AppointmentReminder,
    HolidayRequest, WindowStaffSummoned,
};

/// A message to queue.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMessage {
    /// Stable id: the same id is never queued twice.
    pub message_id: String,
    /// The staff member it is for.
    pub recipient_id: Option<Uuid>,
    /// Their address.
    pub recipient_email: String,
    /// What it says.
    pub mail: Mail,
}

/// Why a stored message cannot be read back as a [`Mail`]: it will never render, so the sender
/// gives up on it at once.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailDecodeError {
    /// No template has this key.
    #[error("unknown mail template `{0}`")]
    UnknownTemplate(String),
    /// The payload is not the template's.
    #[error("the payload of mail template `{template}` does not decode: {error}")]
    Payload {
        /// The template key.
        template: String,
        /// What serde said.
        error: String,
    },
}

/// Defines [`Mail`] from one list of its variants, each with its payload type and template
/// key, so the key is written once: the serde tag, [`Mail::key`], [`Mail::TEMPLATES`],
/// [`Mail::stored`] and [`Mail::decode`] all come from it.
macro_rules! mails {
    ($($(#[doc = $doc:literal])* $variant:ident($payload:ty) = $key:literal,)*) => {
        /// A mail, one variant per template. Serialized adjacently tagged, as the outbox stores
        /// it: `{"template": "task_assigned", "payload": {"caseId": …, "number": …, …}}`.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(tag = "template", content = "payload")]
        pub enum Mail {
            $($(#[doc = $doc])* #[serde(rename = $key)] $variant($payload),)*
        }

        impl Mail {
            /// Every template key.
            pub const TEMPLATES: &'static [&'static str] = &[$($key),*];

            /// The template key (`task_assigned`, …), as the outbox stores it.
            pub fn key(&self) -> &'static str {
                match self {
                    $(Mail::$variant(_) => $key,)*
                }
            }

            /// The payload as the outbox stores it.
            ///
            /// # Errors
            /// A serde error (none of the templates' types can fail to serialize).
            pub fn payload(&self) -> Result<Value, serde_json::Error> {
                match self {
                    $(Mail::$variant(payload) => serde_json::to_value(payload),)*
                }
            }

            /// Reads back a stored message: its template `key` and `payload`.
            ///
            /// # Errors
            /// [`MailDecodeError`] for an unknown key or a payload of another shape.
            pub fn decode(key: &str, payload: &Value) -> Result<Mail, MailDecodeError> {
                match key {
                    $($key => <$payload>::deserialize(payload)
                        .map(Mail::$variant)
                        .map_err(|e| MailDecodeError::Payload {
                            template: key.to_owned(),
                            error: e.to_string(),
                        }),)*
                    other => Err(MailDecodeError::UnknownTemplate(other.to_owned())),
                }
            }
        }
    };
}

mails! {
    /// 新协办任务 — a department's new task.
    TaskAssigned(TaskAssigned) = "task_assigned",
    /// 办件状态变更 — to the first responder.
    CaseStatusChanged(CaseStatusChanged) = "case_status_changed",
    /// 默认同意 — a task left unanswered resolved as approved.
    TaskDeemedApproved(TaskDeemedApproved) = "task_deemed_approved",
    /// 书面告知 — an objecting department overruled by an approval.
    ObjectionOverruled(ObjectionOverruled) = "objection_overruled",
    /// 否定报备 — a negative report waiting for its signer.
    NegativeReportPending(NegativeReportPending) = "negative_report_pending",
    /// 急件 — a case marked urgent, to each open task's assignee.
    TaskUrgent(TaskUrgent) = "task_urgent",
    /// Ladder rung 1: one working day left.
    LadderReminder(LadderMail) = "ladder_reminder",
    /// Ladder rung 2: the deadline is reached.
    LadderDue(LadderMail) = "ladder_due",
    /// Ladder rung 3: 黄牌.
    LadderYellowCard(LadderMail) = "ladder_yellow_card",
    /// Ladder rung 4: 红牌.
    LadderRedCard(LadderMail) = "ladder_red_card",
    /// A daily reminder while overdue.
    LadderDaily(LadderMail) = "ladder_daily",
    /// 值班 — a 黄牌 or 红牌 fired after hours, to the duty officer.
    DutyEscalation(LadderMail) = "duty_escalation",
    /// 晨报 — the leaders' morning digest of red items.
    LeadershipDigest(LeadershipDigest) = "leadership_digest",
    /// 督办承办 — a supervision item's assignee named.
    SupervisionAssigned(SupervisionMail) = "supervision_assigned",
    /// 督办 — a supervision item chased.
    SupervisionChased(SupervisionMail) = "supervision_chased",
    /// A follow-up alert about a reply deadline.
    FollowUpAlert(FollowUpAlert) = "follow_up_alert",
    /// 差评整改 — a rectification item after a bad review.
    RectificationOpened(RectificationOpened) = "rectification_opened",
    /// 投诉 — a complaint against a department.
    ComplaintFiled(ComplaintFiled) = "complaint_filed",
    /// 预约验证码 — the code confirming an online booking.
    AppointmentCode(AppointmentCode) = "appointment_code",
    /// 预约确认 — a booking confirmed.
    AppointmentConfirmed(AppointmentConfirmed) = "appointment_confirmed",
    /// 预约提醒 — the working day before.
    AppointmentReminder(AppointmentReminder) = "appointment_reminder",
    /// 预约取消 — a booking called off.
    AppointmentCancelled(AppointmentCancelled) = "appointment_cancelled",
    /// 节假日办理申请 — to the day's duty officers.
    HolidayRequest(HolidayRequest) = "holiday_request",
    /// 值班召集 — window staff summoned for a holiday request.
    WindowStaffSummoned(WindowStaffSummoned) = "window_staff_summoned",
    /// 值班 — a day on the duty roster.
    DutyAssigned(DutyAssigned) = "duty_assigned",
    /// Days with nobody on duty.
    DutyGap(DutyGap) = "duty_gap",
    /// AB岗 — a department with nobody available.
    DepartmentUnstaffed(DepartmentUnstaffed) = "department_unstaffed",
    /// 日历 — a year's holiday schedule missing.
    CalendarYearMissing(CalendarYearMissing) = "calendar_year_missing",
    /// 账号 — a one-time link to set a password.
    PasswordLink(PasswordLink) = "password_link",
}

impl Mail {
    /// The template key and payload, as the outbox stores them.
    ///
    /// # Errors
    /// A serde error (none of the templates' types can fail to serialize).
    pub fn stored(&self) -> Result<(&'static str, Value), serde_json::Error> {
        Ok((self.key(), self.payload()?))
    }

    /// The case the mail is about, whose facts (number, matter, department, due time, light)
    /// the sender looks up; `None` for a mail about no case or about several.
    pub fn case_id(&self) -> Option<Uuid> {
        match self {
            Mail::TaskAssigned(m) => Some(m.case_id),
            Mail::CaseStatusChanged(m) => Some(m.case_id),
            Mail::TaskDeemedApproved(m) => Some(m.case_id),
            Mail::ObjectionOverruled(m) => Some(m.case_id),
            Mail::NegativeReportPending(m) => Some(m.case_id),
            Mail::TaskUrgent(m) => Some(m.case_id),
            Mail::LadderReminder(m)
            | Mail::LadderDue(m)
            | Mail::LadderYellowCard(m)
            | Mail::LadderRedCard(m)
            | Mail::LadderDaily(m)
            | Mail::DutyEscalation(m) => m.single().map(|item| item.case_id),
            Mail::SupervisionAssigned(m) | Mail::SupervisionChased(m) => m.case_id,
            Mail::FollowUpAlert(m) => m.case_id,
            Mail::RectificationOpened(m) => Some(m.case_id),
            Mail::ComplaintFiled(m) => m.case_id,
            Mail::LeadershipDigest(_)
            | Mail::AppointmentCode(_)
            | Mail::AppointmentConfirmed(_)
            | Mail::AppointmentReminder(_)
            | Mail::AppointmentCancelled(_)
            | Mail::HolidayRequest(_)
            | Mail::WindowStaffSummoned(_)
            | Mail::DutyAssigned(_)
            | Mail::DutyGap(_)
            | Mail::DepartmentUnstaffed(_)
            | Mail::CalendarYearMissing(_)
            | Mail::PasswordLink(_) => None,
        }
    }
}

/// How the sender retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts before a message is marked failed.
    pub max_attempts: i32,
    /// The first retry waits this long; each later one twice as long as the one before.
    pub base: Duration,
    /// The longest wait.
    pub cap: Duration,
    /// How long a claimed message is reserved for the worker sending it.
    pub lease: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 8,
            base: Duration::seconds(30),
            cap: Duration::hours(1),
            lease: Duration::minutes(2),
        }
    }
}

impl RetryPolicy {
    /// Where a message stands after its `attempts`th attempt failed: waiting for the next, or
    /// given up after the last.
    pub fn after_failure(&self, attempts: i32) -> crate::enums::OutboxStatus {
        if attempts >= self.max_attempts {
            crate::enums::OutboxStatus::Failed
        } else {
            crate::enums::OutboxStatus::Pending
        }
    }

    /// The wait after the `attempts`th failed attempt.
    pub fn backoff(&self, attempts: i32) -> Duration {
        let doublings = u32::try_from((attempts - 1).clamp(0, 20)).unwrap_or(0);
        let wait = self.base * 2i32.pow(doublings);
        wait.min(self.cap)
    }
}

/// What a template names about a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailFacts {
    /// 办件编号.
    pub number: String,
    /// The matter's name.
    pub matter: String,
    /// The lead department's name.
    pub department: String,
    /// The case's due time, once accepted.
    pub due_at: Option<DateTime<Utc>>,
    /// The case's light now, once accepted.
    pub light: Option<Light>,
}
