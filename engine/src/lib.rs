//! Lianban's engine: the product's rules and the transactions that apply them.
//!
//! Rules are plain functions over plain types (`calendar`, `deadline`, `lifecycle`, `policy`,
//! `validate`) that need no database and no clock call. The transaction code (`cases`, `auth`,
//! `demo`, …) loads rows, calls the rules, and writes state, the event and any outbox row in one
//! transaction. Time is read only through [`Clock`].

pub mod absences;
pub mod announcements;
pub mod appointments;
pub mod auth;
pub mod boards;
pub mod calendar;
pub mod calendar_admin;
pub mod cases;
pub mod catalogue;
pub mod clock;
pub mod clocks;
pub mod complaints;
pub mod db;
pub mod deadline;
pub mod delivery;
pub mod demo;
mod demo_services;
mod digest;
pub mod duty;
mod engine;
pub mod error;
pub mod escalation;
pub mod evaluations;
pub mod events;
pub mod follow_up;
pub mod guides;
mod idempotency;
pub mod ladder;
pub mod lifecycle;
pub mod notices;
mod numbering;
pub mod outbox;
pub mod page;
pub mod people;
pub mod policy;
pub mod reference;
pub mod roles;
pub mod scoring;
pub mod signing_keys;
mod sql;
pub mod staff;
pub mod statutory;
pub mod supervision;
pub mod task_feed;
pub mod throttle;
pub mod validate;

pub use calendar::{DayKind, OfficeHours, WorkingCalendar};
pub use clock::{Clock, FakeClock, SystemClock};
pub use engine::{Engine, EngineSettings};
pub use error::{Error, Result};
pub use lianban_entity as entity;
pub use lianban_entity::{
    CaseKind, CaseStatus, ClockState, ComplaintCategory, ComplaintChannel, ComplaintStatus,
    ComplaintTarget, DecisionOutcome, EvaluationChannel, EvaluationGrade, LimitUnit,
    NegativeOutcome, NoticeKind, OpinionKind, OutboxStatus, ReportStatus, SupervisionLevel,
    SupervisionSource, SupervisionStatus, SuspensionKind, TaskStatus,
};
pub use policy::Actor;
pub use roles::Role;
