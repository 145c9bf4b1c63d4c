//! Views of oversight: what the engine's reads and verbs hand out instead of table
//! rows (the domain's enums, no storage details).

use chrono::{DateTime, Utc};
use lianban_entity::{
    calendar_year_version, complaint, evaluation, outbox, score_entry, scoring_rule,
    supervision_item,
};
use uuid::Uuid;

/// 督办事项 — a supervision item.
#[derive(Debug, Clone, PartialEq)]
pub struct SupervisionItemView {
    pub id: Uuid,
    /// The department supervised.
    pub department_id: Uuid,
    pub case_id: Option<Uuid>,
    pub task_id: Option<Uuid>,
    /// The clock whose overrun opened it (one item per clock).
    pub clock_id: Option<Uuid>,
    pub source: lianban_rules::SupervisionSource,
    pub level: lianban_rules::SupervisionLevel,
    pub status: lianban_rules::SupervisionStatus,
    pub title: String,
    pub detail: String,
    pub opened_by: Option<Uuid>,
    pub opened_at: DateTime<Utc>,
    /// When it was raised to leadership (红牌).
    pub raised_at: Option<DateTime<Utc>>,
    /// Who answers for the department (承办).
    pub assignee_id: Option<Uuid>,
    pub reply_due_at: Option<DateTime<Utc>>,
    /// How many times it was chased (督办).
    pub chases: i32,
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    pub archived_at: Option<DateTime<Utc>>,
    /// Follow-up alerts sent about the reply deadline (reminder, due, then daily while late).
    pub alerts: i32,
    /// When the next follow-up alert falls; empty when none is pending.
    pub next_alert_at: Option<DateTime<Utc>>,
}

impl From<supervision_item::Model> for SupervisionItemView {
    fn from(m: supervision_item::Model) -> Self {
        SupervisionItemView {
            id: m.id,
            department_id: m.department_id,
            case_id: m.case_id,
            task_id: m.task_id,
            clock_id: m.clock_id,
            source: m.source.into(),
            level: m.level.into(),
            status: m.status.into(),
            title: m.title,
            detail: m.detail,
            opened_by: m.opened_by,
            opened_at: m.opened_at,
            raised_at: m.raised_at,
            assignee_id: m.assignee_id,
            reply_due_at: m.reply_due_at,
            chases: m.chases,
            answer: m.answer,
            answered_at: m.answered_at,
            archived_at: m.archived_at,
            alerts: m.alerts,
            next_alert_at: m.next_alert_at,
        }
    }
}

/// 投诉 — a complaint.
#[derive(Debug, Clone, PartialEq)]
pub struct ComplaintView {
    pub id: Uuid,
    pub target: lianban_rules::ComplaintTarget,
    /// The department that answers for it (the staff member's, or the case's lead department).
    pub department_id: Uuid,
    pub staff_id: Option<Uuid>,
    pub case_id: Option<Uuid>,
    pub channel: lianban_rules::ComplaintChannel,
    /// Visible only to the centre admin and supervisors.
    pub complainant_name: String,
    /// Visible only to the centre admin and supervisors.
    pub complainant_phone: Option<String>,
    pub content: String,
    pub filed_by: Uuid,
    pub filed_at: DateTime<Utc>,
    pub reply_due_at: DateTime<Utc>,
    pub status: lianban_rules::ComplaintStatus,
    pub reply: Option<String>,
    pub replied_by: Option<Uuid>,
    pub replied_at: Option<DateTime<Utc>>,
    /// Working days the reply came after its deadline (0 when on time).
    pub late_working_days: Option<i32>,
    /// Follow-up alerts sent about the reply deadline.
    pub alerts: i32,
    /// When the next follow-up alert falls; empty once replied.
    pub next_alert_at: Option<DateTime<Utc>>,
    /// What the centre found it was about (set when verified).
    pub category: Option<lianban_rules::ComplaintCategory>,
    /// The centre's finding: true verified, false not upheld, empty not examined yet.
    pub verified: Option<bool>,
    pub verified_by: Option<Uuid>,
    pub verified_at: Option<DateTime<Utc>>,
}

impl From<complaint::Model> for ComplaintView {
    fn from(m: complaint::Model) -> Self {
        ComplaintView {
            id: m.id,
            target: m.target.into(),
            department_id: m.department_id,
            staff_id: m.staff_id,
            case_id: m.case_id,
            channel: m.channel.into(),
            complainant_name: m.complainant_name,
            complainant_phone: m.complainant_phone,
            content: m.content,
            filed_by: m.filed_by,
            filed_at: m.filed_at,
            reply_due_at: m.reply_due_at,
            status: m.status.into(),
            reply: m.reply,
            replied_by: m.replied_by,
            replied_at: m.replied_at,
            late_working_days: m.late_working_days,
            alerts: m.alerts,
            next_alert_at: m.next_alert_at,
            category: m.category.map(Into::into),
            verified: m.verified,
            verified_by: m.verified_by,
            verified_at: m.verified_at,
        }
    }
}

/// 好差评 — an applicant's evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct EvaluationView {
    pub id: Uuid,
    /// One per case.
    pub case_id: Uuid,
    pub grade: lianban_rules::EvaluationGrade,
    pub channel: lianban_rules::EvaluationChannel,
    pub comment: Option<String>,
    /// The case's lead department and window staff member, who answer for it.
    pub department_id: Uuid,
    pub staff_id: Uuid,
    /// The window staff member whose device took it; empty through the link.
    pub recorded_by: Option<Uuid>,
    pub evaluated_at: DateTime<Utc>,
    /// The rectification item (整改) a bad review opened.
    pub rectification_id: Option<Uuid>,
}

impl From<evaluation::Model> for EvaluationView {
    fn from(m: evaluation::Model) -> Self {
        EvaluationView {
            id: m.id,
            case_id: m.case_id,
            grade: m.grade.into(),
            channel: m.channel.into(),
            comment: m.comment,
            department_id: m.department_id,
            staff_id: m.staff_id,
            recorded_by: m.recorded_by,
            evaluated_at: m.evaluated_at,
            rectification_id: m.rectification_id,
        }
    }
}

/// 考核记分 — a score entry.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreEntryView {
    pub id: Uuid,
    /// One entry per cause and rule (`CASE_OVERDUE:<clock>`, `COMPLAINT_LATE_DAY:<complaint>`…).
    pub cause_key: String,
    pub rule_code: String,
    pub points: i32,
    pub department_id: Uuid,
    pub staff_id: Option<Uuid>,
    /// The event kind that caused it (`ESCALATED`, `TASK_DEEMED_APPROVED`, `COMPLAINT_REPLIED`,
    /// `COMPLAINT_VERIFIED`, `CASE_EVALUATED`, or `MANUAL`).
    pub cause_kind: String,
    pub case_id: Option<Uuid>,
    pub task_id: Option<Uuid>,
    pub complaint_id: Option<Uuid>,
    pub evaluation_id: Option<Uuid>,
    /// Why, in words a department reads.
    pub reason: String,
    /// Who wrote a manual entry.
    pub recorded_by: Option<Uuid>,
    pub occurred_at: DateTime<Utc>,
}

impl From<score_entry::Model> for ScoreEntryView {
    fn from(m: score_entry::Model) -> Self {
        ScoreEntryView {
            id: m.id,
            cause_key: m.cause_key,
            rule_code: m.rule_code,
            points: m.points,
            department_id: m.department_id,
            staff_id: m.staff_id,
            cause_kind: m.cause_kind,
            case_id: m.case_id,
            task_id: m.task_id,
            complaint_id: m.complaint_id,
            evaluation_id: m.evaluation_id,
            reason: m.reason,
            recorded_by: m.recorded_by,
            occurred_at: m.occurred_at,
        }
    }
}

/// A rule of the scoring table.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoringRuleView {
    pub code: String,
    pub name: String,
    /// Points per occurrence (negative for a deduction).
    pub points: i32,
    pub updated_at: Option<DateTime<Utc>>,
    pub updated_by: Option<Uuid>,
}

impl From<scoring_rule::Model> for ScoringRuleView {
    fn from(m: scoring_rule::Model) -> Self {
        ScoringRuleView {
            code: m.code,
            name: m.name,
            points: m.points,
            updated_at: m.updated_at,
            updated_by: m.updated_by,
        }
    }
}

/// A message of the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxMessageView {
    pub id: Uuid,
    pub event_seq: Option<i64>,
    pub message_id: String,
    pub recipient_id: Option<Uuid>,
    pub recipient_email: String,
    pub template: String,
    pub payload: serde_json::Value,
    pub status: lianban_rules::OutboxStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

impl OutboxMessageView {
    /// The mail as its template's type, read back from the stored key and payload.
    ///
    /// # Errors
    /// [`MailDecodeError`](lianban_rules::mail::MailDecodeError) for an unknown template or a
    /// payload that is not the template's: such a message can never be sent.
    pub fn mail(
        &self,
    ) -> std::result::Result<lianban_rules::mail::Mail, lianban_rules::mail::MailDecodeError> {
        lianban_rules::mail::Mail::decode(&self.template, &self.payload)
    }
}

impl From<outbox::Model> for OutboxMessageView {
    fn from(m: outbox::Model) -> Self {
        OutboxMessageView {
            id: m.id,
            event_seq: m.event_seq,
            message_id: m.message_id,
            recipient_id: m.recipient_id,
            recipient_email: m.recipient_email,
            template: m.template,
            payload: m.payload,
            status: m.status.into(),
            attempts: m.attempts,
            next_attempt_at: m.next_attempt_at,
            last_error: m.last_error,
            created_at: m.created_at,
            sent_at: m.sent_at,
        }
    }
}

/// A version of a year's holiday schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarYearVersionView {
    pub year: i32,
    pub version: i32,
    pub source: String,
    /// JSON array of `{date, name}` days off.
    pub holidays: serde_json::Value,
    /// JSON array of `{date, name}` make-up working days.
    pub make_up_days: serde_json::Value,
    pub changed_by: Uuid,
    pub changed_at: DateTime<Utc>,
}

impl From<calendar_year_version::Model> for CalendarYearVersionView {
    fn from(m: calendar_year_version::Model) -> Self {
        CalendarYearVersionView {
            year: m.year,
            version: m.version,
            source: m.source,
            holidays: m.holidays,
            make_up_days: m.make_up_days,
            changed_by: m.changed_by,
            changed_at: m.changed_at,
        }
    }
}
