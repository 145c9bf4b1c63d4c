//! The column types of the domain's enums (stored as their SCREAMING_SNAKE names). Each is
//! the database's copy of the enum of the same name in `lianban_rules::enums`, converting both
//! ways and comparing with it, so a row's value and a rule's value meet without ceremony.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A column type mirroring a domain enum of `lianban_rules`.
macro_rules! stored {
    ($($name:ident { $($variant:ident),* $(,)? })*) => {$(
        #[doc = concat!("The stored form of [`lianban_rules::enums::", stringify!($name), "`].")]
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
        )]
        #[sea_orm(
            rs_type = "String",
            db_type = "Text",
            rename_all = "SCREAMING_SNAKE_CASE"
        )]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum $name {
            $(#[allow(missing_docs)] $variant,)*
        }

        impl $name {
            /// The domain's value (its labels and rules are there).
            pub fn domain(self) -> lianban_rules::enums::$name {
                self.into()
            }
        }

        impl From<lianban_rules::enums::$name> for $name {
            fn from(value: lianban_rules::enums::$name) -> Self {
                match value {
                    $(lianban_rules::enums::$name::$variant => $name::$variant,)*
                }
            }
        }

        impl From<$name> for lianban_rules::enums::$name {
            fn from(value: $name) -> Self {
                match value {
                    $($name::$variant => lianban_rules::enums::$name::$variant,)*
                }
            }
        }

        impl PartialEq<lianban_rules::enums::$name> for $name {
            fn eq(&self, other: &lianban_rules::enums::$name) -> bool {
                lianban_rules::enums::$name::from(*self) == *other
            }
        }

        impl PartialEq<$name> for lianban_rules::enums::$name {
            fn eq(&self, other: &$name) -> bool {
                *self == lianban_rules::enums::$name::from(*other)
            }
        }
    )*};
}

stored! {
    CaseKind { Consultation, Immediate, Promised, Joint, ReportedUp, Petition }
    CaseStatus { Received, Answered, SupplementRequired, Returned, NotAccepted, Accepted, InReview, Suspended, AwaitingDecision, ReportedUp, Decided, Delivered, Archived, Withdrawn }
    TaskStatus { Open, AwaitingSupplement, Resolved, Cancelled }
    OpinionKind { Approve, ApproveWithConditions, Reject, NeedsSupplement, DeemedApproved }
    DecisionOutcome { Approved, Denied }
    LimitUnit { WorkingMinutes, WorkingDays, NaturalDays }
    ClockState { Running, Paused, Stopped }
    NoticeKind { Acceptance, Supplement, Return, NotAccepted, Extension, Decision, Answer }
    OutboxStatus { Pending, Sent, Failed }
    SuspensionKind { Supplement, Hearing, ExpertReview, Testing, Inspection, PublicNotice, SiteSurvey }
    NegativeOutcome { Denied, NotAccepted, Returned }
    ReportStatus { Pending, Signed, Declined }
    SupervisionSource { Ladder, Supervisor, BadReview }
    SupervisionLevel { YellowCard, RedCard }
    SupervisionStatus { Opened, Assigned, Chased, Answered, Archived }
    ComplaintTarget { Staff, Department, Case }
    ComplaintChannel { Oral, Phone, Written }
    ComplaintStatus { Open, Replied }
    EvaluationGrade { VerySatisfied, Satisfied, FairlySatisfied, Unsatisfied, VeryUnsatisfied }
    EvaluationChannel { WindowDevice, Link }
    ComplaintCategory { Attitude, Result, Other }
    UrgentCategory { MajorProject, VulnerableApplicant, HolidayEmergency, Other }
    AppointmentKind { Window, HomeVisit, Holiday }
    AppointmentStatus { Pending, Lapsed, Requested, Booked, Received, Missed, Cancelled }
}
