//! Views of case parts: what the engine's reads and verbs hand out instead of table
//! rows (the domain's enums, no storage details).

use chrono::{DateTime, Utc};
use lianban_entity::{case, clock, event, negative_report, notice, opinion, suspension, task};
use uuid::Uuid;

/// 协办环节 — one department's part of a case.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskView {
    pub id: Uuid,
    pub case_id: Uuid,
    pub department_id: Uuid,
    pub post_id: Uuid,
    pub assignee_id: Uuid,
    /// Set when a B holder works the task for the absent A holder.
    pub acting_for_id: Option<Uuid>,
    pub status: lianban_rules::TaskStatus,
    pub clock_id: Uuid,
    pub review_limit: i32,
    pub opinion_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// An urgent case's task: first in every queue.
    pub urgent: bool,
}

impl From<task::Model> for TaskView {
    fn from(m: task::Model) -> Self {
        TaskView {
            id: m.id,
            case_id: m.case_id,
            department_id: m.department_id,
            post_id: m.post_id,
            assignee_id: m.assignee_id,
            acting_for_id: m.acting_for_id,
            status: m.status.into(),
            clock_id: m.clock_id,
            review_limit: m.review_limit,
            opinion_id: m.opinion_id,
            created_at: m.created_at,
            resolved_at: m.resolved_at,
            urgent: m.urgent,
        }
    }
}

/// 意见 — a department's opinion.
#[derive(Debug, Clone, PartialEq)]
pub struct OpinionView {
    pub id: Uuid,
    pub task_id: Uuid,
    pub case_id: Uuid,
    pub department_id: Uuid,
    /// Empty for a deemed approval (默认同意), which nobody wrote.
    pub author_id: Option<Uuid>,
    pub acting_for_id: Option<Uuid>,
    pub kind: lianban_rules::OpinionKind,
    /// JSON array of condition texts (APPROVE_WITH_CONDITIONS).
    pub conditions: Vec<String>,
    pub reason: Option<String>,
    pub legal_basis: Option<String>,
    /// JSON array of missing material items (NEEDS_SUPPLEMENT).
    pub missing_items: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

impl From<opinion::Model> for OpinionView {
    fn from(m: opinion::Model) -> Self {
        OpinionView {
            id: m.id,
            task_id: m.task_id,
            case_id: m.case_id,
            department_id: m.department_id,
            author_id: m.author_id,
            acting_for_id: m.acting_for_id,
            kind: m.kind.into(),
            conditions: super::list(m.conditions),
            reason: m.reason,
            legal_basis: m.legal_basis,
            missing_items: m.missing_items,
            created_at: m.created_at,
        }
    }
}

/// 通知书 — a document the applicant receives.
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeView {
    pub id: Uuid,
    pub case_id: Uuid,
    pub kind: lianban_rules::NoticeKind,
    pub title: String,
    pub body: String,
    pub issued_by: Uuid,
    pub issued_at: DateTime<Utc>,
    /// Structured content (the merged supplement items with who asked, the second request's
    /// reason, …).
    pub data: Option<serde_json::Value>,
}

impl From<notice::Model> for NoticeView {
    fn from(m: notice::Model) -> Self {
        NoticeView {
            id: m.id,
            case_id: m.case_id,
            kind: m.kind.into(),
            title: m.title,
            body: m.body,
            issued_by: m.issued_by,
            issued_at: m.issued_at,
            data: m.data,
        }
    }
}

/// 否定报备 — a negative decision filed for signature.
#[derive(Debug, Clone, PartialEq)]
pub struct NegativeReportView {
    pub id: Uuid,
    pub case_id: Uuid,
    pub outcome: lianban_rules::NegativeOutcome,
    pub reason: String,
    pub legal_basis: String,
    /// JSON array of `{department, reason, legalBasis}`: the objections the denial rests on.
    pub objections: serde_json::Value,
    pub status: lianban_rules::ReportStatus,
    /// `DEPT_HEAD` or `LEADER`.
    pub signer_role: String,
    pub filed_by: Uuid,
    pub filed_at: DateTime<Utc>,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTime<Utc>>,
    pub comment: Option<String>,
}

impl From<negative_report::Model> for NegativeReportView {
    fn from(m: negative_report::Model) -> Self {
        NegativeReportView {
            id: m.id,
            case_id: m.case_id,
            outcome: m.outcome.into(),
            reason: m.reason,
            legal_basis: m.legal_basis,
            objections: m.objections,
            status: m.status.into(),
            signer_role: m.signer_role,
            filed_by: m.filed_by,
            filed_at: m.filed_at,
            decided_by: m.decided_by,
            decided_at: m.decided_at,
            comment: m.comment,
        }
    }
}

/// A suspension of a case (a supplement or a special procedure).
#[derive(Debug, Clone, PartialEq)]
pub struct SuspensionView {
    pub id: Uuid,
    pub case_id: Uuid,
    pub kind: lianban_rules::SuspensionKind,
    /// The status the case returns to when resumed.
    pub previous_status: lianban_rules::CaseStatus,
    pub reason: String,
    pub legal_basis: Option<String>,
    /// Expected length in working days.
    pub expected_days: Option<i32>,
    pub started_at: DateTime<Utc>,
    pub started_by: Uuid,
    pub ended_at: Option<DateTime<Utc>>,
    pub ended_by: Option<Uuid>,
}

impl From<suspension::Model> for SuspensionView {
    fn from(m: suspension::Model) -> Self {
        SuspensionView {
            id: m.id,
            case_id: m.case_id,
            kind: m.kind.into(),
            previous_status: m.previous_status.into(),
            reason: m.reason,
            legal_basis: m.legal_basis,
            expected_days: m.expected_days,
            started_at: m.started_at,
            started_by: m.started_by,
            ended_at: m.ended_at,
            ended_by: m.ended_by,
        }
    }
}

/// An entry of the event log.
#[derive(Debug, Clone, PartialEq)]
pub struct EventView {
    pub seq: i64,
    pub case_id: Option<Uuid>,
    pub task_id: Option<Uuid>,
    pub actor_id: Option<Uuid>,
    pub acting_for_id: Option<Uuid>,
    pub kind: String,
    pub at: DateTime<Utc>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl From<event::Model> for EventView {
    fn from(m: event::Model) -> Self {
        EventView {
            seq: m.seq,
            case_id: m.case_id,
            task_id: m.task_id,
            actor_id: m.actor_id,
            acting_for_id: m.acting_for_id,
            kind: m.kind,
            at: m.at,
            before: m.before,
            after: m.after,
        }
    }
}

/// A statutory clock as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ClockRecord {
    pub id: Uuid,
    /// The case it belongs to.
    pub case_id: Uuid,
    /// The task it belongs to; empty for the case's own clock.
    pub task_id: Option<Uuid>,
    /// The department it answers to: its task's, or the lead department's for the case's own
    /// clock (kept so the boards count by department from an index).
    pub department_id: Option<Uuid>,
    pub unit: lianban_rules::LimitUnit,
    pub budget: i64,
    pub started_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub state: lianban_rules::ClockState,
    pub stopped_at: Option<DateTime<Utc>>,
    pub provisional: bool,
    /// The highest escalation rung fired (0 none, 1 reminder, 2 due, 3 黄牌, 4 红牌).
    pub rung: i32,
    /// Daily overdue reminders sent.
    pub reminders: i32,
    /// When the next rung or reminder is due; empty when the ladder is done.
    pub next_rung_at: Option<DateTime<Utc>>,
    /// An urgent case's clock: listed first, reminded earlier.
    pub urgent: bool,
}

impl From<clock::Model> for ClockRecord {
    fn from(m: clock::Model) -> Self {
        ClockRecord {
            id: m.id,
            case_id: m.case_id,
            task_id: m.task_id,
            department_id: m.department_id,
            unit: m.unit.into(),
            budget: m.budget,
            started_at: m.started_at,
            due_at: m.due_at,
            state: m.state.into(),
            stopped_at: m.stopped_at,
            provisional: m.provisional,
            rung: m.rung,
            reminders: m.reminders,
            next_rung_at: m.next_rung_at,
            urgent: m.urgent,
        }
    }
}

/// 办件 — a case as stored, without the reader's view of it (see `cases::CaseView`).
#[derive(Debug, Clone, PartialEq)]
pub struct CaseRecord {
    pub id: Uuid,
    pub number: String,
    pub matter_id: Uuid,
    pub kind: lianban_rules::CaseKind,
    pub status: lianban_rules::CaseStatus,
    pub applicant_name: String,
    pub applicant_id_number: String,
    pub applicant_phone: String,
    /// 首问责任人
    pub first_responder_id: Uuid,
    /// The window staff member who leads the case.
    pub lead_staff_id: Uuid,
    pub lead_department_id: Uuid,
    pub clock_id: Option<Uuid>,
    pub received_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision: Option<lianban_rules::DecisionOutcome>,
    pub decision_reason: Option<String>,
    /// JSON array of `{department, text}` conditions attached to the decision.
    pub decision_conditions: Vec<lianban_rules::cases::AttributedCondition>,
    /// Bumped by every change; the first write of a case transaction, so it also locks the row.
    pub version: i64,
    pub updated_at: DateTime<Utc>,
    /// 延期 — working days added by the one extension a case may have.
    pub extension_days: Option<i32>,
    pub extension_reason: Option<String>,
    pub extended_by: Option<Uuid>,
    pub extended_at: Option<DateTime<Utc>>,
    /// 上报件 — the upper authority the case was reported to.
    pub upper_authority: Option<String>,
    /// 送达 — when and how the result reached the applicant.
    pub delivered_at: Option<DateTime<Utc>>,
    pub delivery_method: Option<String>,
    pub archived_at: Option<DateTime<Utc>>,
    /// The code on the decision notice that lets the applicant evaluate the case by link.
    pub evaluation_code: Option<String>,
    /// The service guide version it was received and accepted under.
    pub guide_version: Option<i32>,
    /// 急事急办 — marked urgent by the lead window, with a category and a reason.
    pub urgent: bool,
    pub urgent_category: Option<lianban_rules::UrgentCategory>,
    pub urgent_reason: Option<String>,
    pub urgent_by: Option<Uuid>,
    pub urgent_at: Option<DateTime<Utc>>,
}

impl From<case::Model> for CaseRecord {
    fn from(m: case::Model) -> Self {
        CaseRecord {
            id: m.id,
            number: m.number,
            matter_id: m.matter_id,
            kind: m.kind.into(),
            status: m.status.into(),
            applicant_name: m.applicant_name,
            applicant_id_number: m.applicant_id_number,
            applicant_phone: m.applicant_phone,
            first_responder_id: m.first_responder_id,
            lead_staff_id: m.lead_staff_id,
            lead_department_id: m.lead_department_id,
            clock_id: m.clock_id,
            received_at: m.received_at,
            accepted_at: m.accepted_at,
            decided_at: m.decided_at,
            decision: m.decision.map(Into::into),
            decision_reason: m.decision_reason,
            decision_conditions: m.decision_conditions.map(super::list).unwrap_or_default(),
            version: m.version,
            updated_at: m.updated_at,
            extension_days: m.extension_days,
            extension_reason: m.extension_reason,
            extended_by: m.extended_by,
            extended_at: m.extended_at,
            upper_authority: m.upper_authority,
            delivered_at: m.delivered_at,
            delivery_method: m.delivery_method,
            archived_at: m.archived_at,
            evaluation_code: m.evaluation_code,
            guide_version: m.guide_version,
            urgent: m.urgent,
            urgent_category: m.urgent_category.map(Into::into),
            urgent_reason: m.urgent_reason,
            urgent_by: m.urgent_by,
            urgent_at: m.urgent_at,
        }
    }
}
