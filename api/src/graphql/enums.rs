//! GraphQL enums, mirroring the engine's.

use async_graphql::Enum;

/// 办件类型
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_engine::CaseKind")]
pub enum CaseKind {
    Consultation,
    Immediate,
    Promised,
    Joint,
    ReportedUp,
    Petition,
}

/// 办件状态
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_engine::CaseStatus")]
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

/// 协办环节状态
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_engine::TaskStatus")]
pub enum TaskStatus {
    Open,
    Resolved,
    Cancelled,
}

/// 意见类型
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_engine::OpinionKind")]
pub enum OpinionKind {
    Approve,
    ApproveWithConditions,
    Reject,
    NeedsSupplement,
    DeemedApproved,
}

/// 决定
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_engine::DecisionOutcome")]
pub enum DecisionOutcome {
    Approved,
    Denied,
}

/// 时限单位
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_engine::LimitUnit")]
pub enum LimitUnit {
    WorkingMinutes,
    WorkingDays,
    NaturalDays,
}

/// 角色
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_engine::Role")]
pub enum Role {
    Window,
    Reviewer,
    DeptHead,
    CenterAdmin,
    Leader,
    Supervisor,
}

/// 红黄绿灯
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_engine::statutory::Light")]
pub enum Light {
    Green,
    Yellow,
    Red,
}

/// Whether a clock counts.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_engine::ClockState")]
pub enum ClockState {
    Running,
    Paused,
    Stopped,
}

/// The kind of a calendar day.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_engine::DayKind")]
pub enum DayKind {
    /// An ordinary Monday–Friday.
    Working,
    /// An ordinary Saturday or Sunday.
    Weekend,
    /// A day off of a statutory holiday.
    Holiday,
    /// A make-up working day (调休补班).
    MakeUp,
}

/// 特别程序 — a procedure that suspends a case's clocks (行政许可法 §45).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum SpecialProcedure {
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

impl From<SpecialProcedure> for lianban_engine::SuspensionKind {
    fn from(p: SpecialProcedure) -> Self {
        use lianban_engine::SuspensionKind as K;
        match p {
            SpecialProcedure::Hearing => K::Hearing,
            SpecialProcedure::ExpertReview => K::ExpertReview,
            SpecialProcedure::Testing => K::Testing,
            SpecialProcedure::Inspection => K::Inspection,
            SpecialProcedure::PublicNotice => K::PublicNotice,
            SpecialProcedure::SiteSurvey => K::SiteSurvey,
        }
    }
}
