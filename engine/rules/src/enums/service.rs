//! What the centre's services around a case can be: urgent handling and appointments.

use serde::{Deserialize, Serialize};

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
