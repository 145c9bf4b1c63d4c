//! The domain's enums: what a case, a task, a clock, a notice, a supervision item, a complaint, an
//! evaluation and an appointment can be. Stored as their SCREAMING_SNAKE names (the entity crate
//! keeps a column type for each, converting both ways); each lists its values in `ALL`.

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

/// Who opened a supervision item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SupervisionSource {
    /// The escalation ladder (黄牌).
    Ladder,
    /// A supervisor (督查组).
    Supervisor,
    /// A bad review (差评): the rectification item (整改) of SPEC §7.
    BadReview,
}

impl SupervisionSource {
    /// Every value, in order.
    pub const ALL: [SupervisionSource; 3] = [
        SupervisionSource::Ladder,
        SupervisionSource::Supervisor,
        SupervisionSource::BadReview,
    ];
}

/// How far a supervision item has been raised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SupervisionLevel {
    /// 黄牌 — one working day overdue; the centre admin follows it.
    YellowCard,
    /// 红牌 — three working days overdue; raised to leadership.
    RedCard,
}

impl SupervisionLevel {
    /// Every value, in order.
    pub const ALL: [SupervisionLevel; 2] =
        [SupervisionLevel::YellowCard, SupervisionLevel::RedCard];
}

/// 督办 lifecycle (SPEC §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

impl SupervisionStatus {
    /// Every value, in order.
    pub const ALL: [SupervisionStatus; 5] = [
        SupervisionStatus::Opened,
        SupervisionStatus::Assigned,
        SupervisionStatus::Chased,
        SupervisionStatus::Answered,
        SupervisionStatus::Archived,
    ];
}

/// What a complaint is against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ComplaintTarget {
    /// A staff member.
    Staff,
    /// A department.
    Department,
    /// A case.
    Case,
}

impl ComplaintTarget {
    /// Every value, in order.
    pub const ALL: [ComplaintTarget; 3] = [
        ComplaintTarget::Staff,
        ComplaintTarget::Department,
        ComplaintTarget::Case,
    ];
}

/// How a complaint came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ComplaintChannel {
    /// 口头.
    Oral,
    /// 电话.
    Phone,
    /// 书面.
    Written,
}

impl ComplaintChannel {
    /// Every value, in order.
    pub const ALL: [ComplaintChannel; 3] = [
        ComplaintChannel::Oral,
        ComplaintChannel::Phone,
        ComplaintChannel::Written,
    ];
}

/// Where a complaint stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ComplaintStatus {
    /// Waiting for the department's reply.
    Open,
    /// Replied.
    Replied,
}

impl ComplaintStatus {
    /// Every value, in order.
    pub const ALL: [ComplaintStatus; 2] = [ComplaintStatus::Open, ComplaintStatus::Replied];
}

/// 好差评 — the five grades of SPEC §7.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EvaluationGrade {
    /// 非常满意
    VerySatisfied,
    /// 满意
    Satisfied,
    /// 基本满意
    FairlySatisfied,
    /// 不满意 (a bad review)
    Unsatisfied,
    /// 非常不满意 (a bad review)
    VeryUnsatisfied,
}

impl EvaluationGrade {
    /// Every value, in order.
    pub const ALL: [EvaluationGrade; 5] = [
        EvaluationGrade::VerySatisfied,
        EvaluationGrade::Satisfied,
        EvaluationGrade::FairlySatisfied,
        EvaluationGrade::Unsatisfied,
        EvaluationGrade::VeryUnsatisfied,
    ];
}

/// Where the applicant gave the grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EvaluationChannel {
    /// The evaluation device at the window (评价器), operated in the window's session.
    WindowDevice,
    /// The link on the decision notice, with the case's evaluation code.
    Link,
}

impl EvaluationChannel {
    /// Every value, in order.
    pub const ALL: [EvaluationChannel; 2] =
        [EvaluationChannel::WindowDevice, EvaluationChannel::Link];
}

/// What a verified complaint was about; it decides the rule that scores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ComplaintCategory {
    /// 服务态度 — scored by `COMPLAINT_ATTITUDE`.
    Attitude,
    /// 办理结果 — scored by `UNSATISFIED_RESULT`.
    Result,
    /// Anything else: recorded, not scored.
    Other,
}

impl ComplaintCategory {
    /// Every value, in order.
    pub const ALL: [ComplaintCategory; 3] = [
        ComplaintCategory::Attitude,
        ComplaintCategory::Result,
        ComplaintCategory::Other,
    ];
}

/// 急事急办 — why a case is handled urgently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
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

impl UrgentCategory {
    /// Every value, in order.
    pub const ALL: [UrgentCategory; 4] = [
        UrgentCategory::MajorProject,
        UrgentCategory::VulnerableApplicant,
        UrgentCategory::HolidayEmergency,
        UrgentCategory::Other,
    ];
}

/// What kind of appointment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AppointmentKind {
    /// 窗口预约 — a slot at a window.
    Window,
    /// 上门服务 — window staff come to the applicant.
    HomeVisit,
    /// 节假日预约 — a request for service on a weekend or holiday, arranged by the duty officer.
    Holiday,
}

impl AppointmentKind {
    /// Every value, in order.
    pub const ALL: [AppointmentKind; 3] = [
        AppointmentKind::Window,
        AppointmentKind::HomeVisit,
        AppointmentKind::Holiday,
    ];
}

/// Where an appointment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AppointmentStatus {
    /// Made online, waiting for the applicant to enter the code mailed to them; holds no slot.
    Pending,
    /// Not confirmed in time (or too many wrong codes).
    Lapsed,
    /// A holiday request waiting for the duty officer.
    Requested,
    /// A slot is booked (confirmed to the applicant).
    Booked,
    /// The applicant came (or was visited) and a case was opened.
    Received,
    /// The applicant did not come (爽约).
    Missed,
    /// Called off by the centre.
    Cancelled,
}

impl AppointmentStatus {
    /// Every value, in order.
    pub const ALL: [AppointmentStatus; 7] = [
        AppointmentStatus::Pending,
        AppointmentStatus::Lapsed,
        AppointmentStatus::Requested,
        AppointmentStatus::Booked,
        AppointmentStatus::Received,
        AppointmentStatus::Missed,
        AppointmentStatus::Cancelled,
    ];
}

impl EvaluationGrade {
    /// 不满意 and 非常不满意 are bad reviews (差评).
    pub fn is_bad(self) -> bool {
        matches!(self, Self::Unsatisfied | Self::VeryUnsatisfied)
    }

    /// The grade as the applicant saw it.
    pub fn label(self) -> &'static str {
        match self {
            Self::VerySatisfied => "非常满意",
            Self::Satisfied => "满意",
            Self::FairlySatisfied => "基本满意",
            Self::Unsatisfied => "不满意",
            Self::VeryUnsatisfied => "非常不满意",
        }
    }
}

impl UrgentCategory {
    /// The category as the window and the applicant read it.
    pub fn label(self) -> &'static str {
        match self {
            Self::MajorProject => "重大投资项目",
            Self::VulnerableApplicant => "老年人、残疾人等特殊群体",
            Self::HolidayEmergency => "节假日紧急事项",
            Self::Other => "特事特办",
        }
    }
}

impl AppointmentKind {
    /// The kind as the applicant reads it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Window => "窗口预约",
            Self::HomeVisit => "上门服务",
            Self::Holiday => "节假日预约",
        }
    }
}
