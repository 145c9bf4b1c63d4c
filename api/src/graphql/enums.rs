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
