//! The string-valued enums stored in Lianban's columns (stored as their SCREAMING_SNAKE names).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// 办件类型 — the kind of a case, set by its matter.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "Text",
    rename_all = "SCREAMING_SNAKE_CASE"
)]
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

/// The lifecycle status of a case (SPEC §3).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "Text",
    rename_all = "SCREAMING_SNAKE_CASE"
)]
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

/// The status of one department's task on a case.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "Text",
    rename_all = "SCREAMING_SNAKE_CASE"
)]
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

/// 意见 — the kind of a department's opinion on its task.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "Text",
    rename_all = "SCREAMING_SNAKE_CASE"
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OpinionKind {
    Approve,
    ApproveWithConditions,
    Reject,
    NeedsSupplement,
    DeemedApproved,
}

/// The outcome the lead window decides for a case.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "Text",
    rename_all = "SCREAMING_SNAKE_CASE"
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DecisionOutcome {
    Approved,
    Denied,
}

/// The unit a clock's budget is counted in (SPEC §4).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "Text",
    rename_all = "SCREAMING_SNAKE_CASE"
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LimitUnit {
    WorkingMinutes,
    WorkingDays,
    NaturalDays,
}

/// Whether a clock is counting.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "Text",
    rename_all = "SCREAMING_SNAKE_CASE"
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ClockState {
    Running,
    Paused,
    Stopped,
}

/// 通知书 — the kind of a document the applicant receives.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "Text",
    rename_all = "SCREAMING_SNAKE_CASE"
)]
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

/// The delivery state of an outbox message.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "Text",
    rename_all = "SCREAMING_SNAKE_CASE"
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OutboxStatus {
    Pending,
    Sent,
    Failed,
}

/// Why a case's clocks stand still (SPEC §3).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "Text",
    rename_all = "SCREAMING_SNAKE_CASE"
)]
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

/// The outcome a negative decision report asks to take effect (SPEC §3).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "Text",
    rename_all = "SCREAMING_SNAKE_CASE"
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NegativeOutcome {
    /// 不予许可 — the application is denied.
    Denied,
    /// 不予受理 — the application is not accepted.
    NotAccepted,
    /// 退回 — the application is returned.
    Returned,
}

/// Where a negative decision report stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "Text",
    rename_all = "SCREAMING_SNAKE_CASE"
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReportStatus {
    /// Waiting for the signature.
    Pending,
    /// Signed: the outcome took effect.
    Signed,
    /// Declined by the signer: the case goes on.
    Declined,
}

/// Who opened a supervision item.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "Text",
    rename_all = "SCREAMING_SNAKE_CASE"
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SupervisionSource {
    /// The escalation ladder (黄牌).
    Ladder,
    /// A supervisor (督查组).
    Supervisor,
    /// A bad review (差评): the rectification item (整改) of SPEC §7.
    BadReview,
}

/// How far a supervision item has been raised.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "Text",
    rename_all = "SCREAMING_SNAKE_CASE"
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SupervisionLevel {
    /// 黄牌 — one working day overdue; the centre admin follows it.
    YellowCard,
    /// 红牌 — three working days overdue; raised to leadership.
    RedCard,
}

/// 督办 lifecycle (SPEC §2).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "Text",
    rename_all = "SCREAMING_SNAKE_CASE"
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SupervisionStatus {
    /// 立项
    Opened,
    /// 承办
    Assigned,
    /// 督办 (chased, any number of times)
    Chased,
    /// 反馈
    Answered,
    /// 归档
    Archived,
}

/// What a complaint is against.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "Text",
    rename_all = "SCREAMING_SNAKE_CASE"
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ComplaintTarget {
    /// A staff member.
    Staff,
    /// A department.
    Department,
    /// A case.
    Case,
}

/// How a complaint came in.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "Text",
    rename_all = "SCREAMING_SNAKE_CASE"
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ComplaintChannel {
    /// 口头.
    Oral,
    /// 电话.
    Phone,
    /// 书面.
    Written,
}

/// Where a complaint stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "Text",
    rename_all = "SCREAMING_SNAKE_CASE"
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ComplaintStatus {
    /// Waiting for the department's reply.
    Open,
    /// Replied.
    Replied,
}
