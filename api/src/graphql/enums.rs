//! GraphQL enums, mirroring the engine's.

use async_graphql::Enum;

/// 办件类型
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_rules::CaseKind")]
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
#[graphql(remote = "lianban_rules::CaseStatus")]
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
#[graphql(remote = "lianban_rules::TaskStatus")]
pub enum TaskStatus {
    /// Being reviewed.
    Open,
    /// The department asked for material; waiting for the applicant.
    AwaitingSupplement,
    /// Answered.
    Resolved,
    /// The case ended before the answer.
    Cancelled,
}

/// 意见类型
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_rules::OpinionKind")]
pub enum OpinionKind {
    Approve,
    ApproveWithConditions,
    Reject,
    NeedsSupplement,
    DeemedApproved,
}

/// 决定
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_rules::DecisionOutcome")]
pub enum DecisionOutcome {
    Approved,
    Denied,
}

/// 时限单位
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_rules::LimitUnit")]
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
#[graphql(remote = "lianban_rules::clocks::Light")]
pub enum Light {
    Green,
    Yellow,
    Red,
}

/// Whether a clock counts.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_rules::ClockState")]
pub enum ClockState {
    Running,
    Paused,
    Stopped,
}

/// The kind of a calendar day.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_rules::DayKind")]
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

impl From<SpecialProcedure> for lianban_rules::SuspensionKind {
    fn from(p: SpecialProcedure) -> Self {
        use lianban_rules::SuspensionKind as K;
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

/// What a negative report asks to take effect.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_rules::NegativeOutcome")]
pub enum NegativeOutcome {
    /// 不予许可
    Denied,
    /// 不予受理
    NotAccepted,
    /// 退回
    Returned,
}

/// Where a negative report stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_rules::ReportStatus")]
pub enum ReportStatus {
    Pending,
    Signed,
    Declined,
}

/// 通知书 kinds.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_rules::NoticeKind")]
pub enum NoticeKind {
    /// 受理通知书
    Acceptance,
    /// 补正材料通知书（一次性告知）
    Supplement,
    /// 退回通知书
    Return,
    /// 不予受理通知书
    NotAccepted,
    /// 延长办理期限通知书
    Extension,
    /// 决定书
    Decision,
    /// 咨询答复
    Answer,
}

/// Why a case's clocks stood still.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_rules::SuspensionKind")]
pub enum SuspensionKind {
    Supplement,
    Hearing,
    ExpertReview,
    Testing,
    Inspection,
    PublicNotice,
    SiteSurvey,
}

/// 督办 lifecycle.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_rules::SupervisionStatus")]
pub enum SupervisionStatus {
    /// 立项
    Opened,
    /// 承办
    Assigned,
    /// 督办
    Chased,
    /// 反馈
    Answered,
    /// 归档
    Archived,
}

/// 黄牌 / 红牌.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_rules::SupervisionLevel")]
pub enum SupervisionLevel {
    YellowCard,
    RedCard,
}

/// Who opened a supervision item.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_rules::SupervisionSource")]
pub enum SupervisionSource {
    Ladder,
    Supervisor,
    /// 差评整改 — a rectification opened by a bad review.
    BadReview,
}

/// 好差评 — 非常满意, 满意, 基本满意, 不满意, 非常不满意.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_rules::EvaluationGrade")]
pub enum EvaluationGrade {
    VerySatisfied,
    Satisfied,
    FairlySatisfied,
    Unsatisfied,
    VeryUnsatisfied,
}

/// Where the applicant evaluated: the window's evaluation device, or the decision notice's link.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_rules::EvaluationChannel")]
pub enum EvaluationChannel {
    WindowDevice,
    Link,
}

/// What a verified complaint was about: attitude and result are scored, other is not.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_rules::ComplaintCategory")]
pub enum ComplaintCategory {
    Attitude,
    Result,
    Other,
}

/// Where an outbox message stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_rules::OutboxStatus")]
pub enum OutboxStatus {
    Pending,
    Sent,
    Failed,
}

/// 投诉对象
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_rules::ComplaintTarget")]
pub enum ComplaintTarget {
    Staff,
    Department,
    Case,
}

/// 投诉渠道: 口头, 电话, 书面
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_rules::ComplaintChannel")]
pub enum ComplaintChannel {
    Oral,
    Phone,
    Written,
}

/// Where a complaint stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_rules::ComplaintStatus")]
pub enum ComplaintStatus {
    Open,
    Replied,
}

/// 急事急办 — why a case is urgent.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_rules::UrgentCategory")]
pub enum UrgentCategory {
    /// 重大投资项目
    MajorProject,
    /// 老年人、残疾人等特殊群体
    VulnerableApplicant,
    /// 节假日紧急事项
    HolidayEmergency,
    /// 其他特事特办
    Other,
}

/// What kind of appointment.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_rules::AppointmentKind")]
pub enum AppointmentKind {
    /// 窗口预约
    Window,
    /// 上门服务
    HomeVisit,
    /// 节假日预约 (arranged by the duty officer)
    Holiday,
}

/// Where an appointment stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_rules::AppointmentStatus")]
pub enum AppointmentStatus {
    /// Made online; holds nothing until the applicant enters the code mailed to them.
    Pending,
    /// Not confirmed in time, or too many wrong codes.
    Lapsed,
    /// A holiday request waiting for the duty officer.
    Requested,
    /// Booked and confirmed.
    Booked,
    /// The applicant came; a case was opened.
    Received,
    /// 爽约 — nobody came.
    Missed,
    /// Called off by the centre.
    Cancelled,
}
