//! What a case and its parts can be: the case, its tasks and opinions, its clocks, notices,
//! messages, suspensions and negative reports.

use serde::{Deserialize, Serialize};

/// 办件类型 — the kind of a case, set by its matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CaseKind {
    /// 咨询件
    Consultation,
    /// 即办件
    Immediate,
    /// 承诺件
    Promised,
    /// 联办件
    Joint,
    /// 上报件
    ReportedUp,
    /// 信访件
    Petition,
}

impl CaseKind {
    /// Every value, in order.
    pub const ALL: [CaseKind; 6] = [
        CaseKind::Consultation,
        CaseKind::Immediate,
        CaseKind::Promised,
        CaseKind::Joint,
        CaseKind::ReportedUp,
        CaseKind::Petition,
    ];
}

/// The lifecycle status of a case (SPEC §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CaseStatus {
    Received,
    Answered,
    SupplementRequired,
    Returned,
    NotAccepted,
    Accepted,
    InReview,
    Suspended,
    AwaitingDecision,
    ReportedUp,
    Decided,
    Delivered,
    Archived,
    Withdrawn,
}

impl CaseStatus {
    /// Every value, in order.
    pub const ALL: [CaseStatus; 14] = [
        CaseStatus::Received,
        CaseStatus::Answered,
        CaseStatus::SupplementRequired,
        CaseStatus::Returned,
        CaseStatus::NotAccepted,
        CaseStatus::Accepted,
        CaseStatus::InReview,
        CaseStatus::Suspended,
        CaseStatus::AwaitingDecision,
        CaseStatus::ReportedUp,
        CaseStatus::Decided,
        CaseStatus::Delivered,
        CaseStatus::Archived,
        CaseStatus::Withdrawn,
    ];
}

/// The status of one department's task on a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TaskStatus {
    /// Being reviewed.
    Open,
    /// The department asked for material (NEEDS_SUPPLEMENT); its clock waits for the
    /// applicant, and the task reopens when the material arrives.
    AwaitingSupplement,
    /// Answered.
    Resolved,
    /// The case was withdrawn or ended before the answer.
    Cancelled,
}

impl TaskStatus {
    /// Every value, in order.
    pub const ALL: [TaskStatus; 4] = [
        TaskStatus::Open,
        TaskStatus::AwaitingSupplement,
        TaskStatus::Resolved,
        TaskStatus::Cancelled,
    ];
}

/// 意见 — the kind of a department's opinion on its task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OpinionKind {
    Approve,
    ApproveWithConditions,
    Reject,
    NeedsSupplement,
    DeemedApproved,
}

impl OpinionKind {
    /// Every value, in order.
    pub const ALL: [OpinionKind; 5] = [
        OpinionKind::Approve,
        OpinionKind::ApproveWithConditions,
        OpinionKind::Reject,
        OpinionKind::NeedsSupplement,
        OpinionKind::DeemedApproved,
    ];
}

/// The outcome the lead window decides for a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DecisionOutcome {
    Approved,
    Denied,
}

impl DecisionOutcome {
    /// Every value, in order.
    pub const ALL: [DecisionOutcome; 2] = [DecisionOutcome::Approved, DecisionOutcome::Denied];
}

/// The unit a clock's budget is counted in (SPEC §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LimitUnit {
    WorkingMinutes,
    WorkingDays,
    NaturalDays,
}

impl LimitUnit {
    /// Every value, in order.
    pub const ALL: [LimitUnit; 3] = [
        LimitUnit::WorkingMinutes,
        LimitUnit::WorkingDays,
        LimitUnit::NaturalDays,
    ];
}

/// Whether a clock is counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ClockState {
    Running,
    Paused,
    Stopped,
}

impl ClockState {
    /// Every value, in order.
    pub const ALL: [ClockState; 3] = [ClockState::Running, ClockState::Paused, ClockState::Stopped];
}

/// 通知书 — the kind of a document the applicant receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NoticeKind {
    Acceptance,
    Supplement,
    Return,
    NotAccepted,
    Extension,
    Decision,
    Answer,
}

impl NoticeKind {
    /// Every value, in order.
    pub const ALL: [NoticeKind; 7] = [
        NoticeKind::Acceptance,
        NoticeKind::Supplement,
        NoticeKind::Return,
        NoticeKind::NotAccepted,
        NoticeKind::Extension,
        NoticeKind::Decision,
        NoticeKind::Answer,
    ];
}

/// The delivery state of an outbox message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OutboxStatus {
    Pending,
    Sent,
    Failed,
}

impl OutboxStatus {
    /// Every value, in order.
    pub const ALL: [OutboxStatus; 3] = [
        OutboxStatus::Pending,
        OutboxStatus::Sent,
        OutboxStatus::Failed,
    ];
}

/// Why a case's clocks stand still (SPEC §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SuspensionKind {
    /// 补正 — waiting for the applicant's missing material.
    Supplement,
    /// 听证
    Hearing,
    /// 专家评审
    ExpertReview,
    /// 检验检测
    Testing,
    /// 检查
    Inspection,
    /// 公示
    PublicNotice,
    /// 现场勘验
    SiteSurvey,
}

impl SuspensionKind {
    /// Every value, in order.
    pub const ALL: [SuspensionKind; 7] = [
        SuspensionKind::Supplement,
        SuspensionKind::Hearing,
        SuspensionKind::ExpertReview,
        SuspensionKind::Testing,
        SuspensionKind::Inspection,
        SuspensionKind::PublicNotice,
        SuspensionKind::SiteSurvey,
    ];
}

/// The outcome a negative decision report asks to take effect (SPEC §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NegativeOutcome {
    /// 不予许可 — the application is denied.
    Denied,
    /// 不予受理 — the application is not accepted.
    NotAccepted,
    /// 退回 — the application is returned.
    Returned,
}

impl NegativeOutcome {
    /// Every value, in order.
    pub const ALL: [NegativeOutcome; 3] = [
        NegativeOutcome::Denied,
        NegativeOutcome::NotAccepted,
        NegativeOutcome::Returned,
    ];
}

/// Where a negative decision report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReportStatus {
    /// Waiting for the signature.
    Pending,
    /// Signed: the outcome took effect.
    Signed,
    /// Declined by the signer: the case goes on.
    Declined,
}

impl ReportStatus {
    /// Every value, in order.
    pub const ALL: [ReportStatus; 3] = [
        ReportStatus::Pending,
        ReportStatus::Signed,
        ReportStatus::Declined,
    ];
}
