//! What oversight can be: supervision items, complaints and the applicant's evaluations.

use serde::{Deserialize, Serialize};

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
