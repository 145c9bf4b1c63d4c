//! The string-valued enums of accountability (SPEC §7): evaluation grades and channels, and what
//! a verified complaint was about.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// 好差评 — the five grades of SPEC §7.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "Text",
    rename_all = "SCREAMING_SNAKE_CASE"
)]
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

/// Where the applicant gave the grade.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "Text",
    rename_all = "SCREAMING_SNAKE_CASE"
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EvaluationChannel {
    /// The evaluation device at the window (评价器), operated in the window's session.
    WindowDevice,
    /// The link on the decision notice, with the case's evaluation code.
    Link,
}

/// What a verified complaint was about; it decides the rule that scores it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "Text",
    rename_all = "SCREAMING_SNAKE_CASE"
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ComplaintCategory {
    /// 服务态度 — scored by `COMPLAINT_ATTITUDE`.
    Attitude,
    /// 办理结果 — scored by `UNSATISFIED_RESULT`.
    Result,
    /// Anything else: recorded, not scored.
    Other,
}
