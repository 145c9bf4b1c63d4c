//! Lianban's engine: the transactions that apply the rules.
//!
//! Each domain's module here (`cases`, `guides`, `supervision`, …) loads what a verb needs, asks
//! the rules of the same name in `lianban-rules` (pure functions, no database, no clock call),
//! and writes the state, the event and any outbox row in one transaction. Time is read only
//! through [`Clock`].

pub mod access;
pub mod announcements;
pub mod appointments;
pub mod boards;
pub mod calendar;
pub mod cases;
pub mod catalogue;
pub mod clock;
pub mod clocks;
pub mod complaints;
pub mod demo;
mod engine;
pub mod error;
pub mod escalation;
pub mod evaluations;
pub mod events;
pub mod follow_up;
pub mod guides;
pub mod mail;
pub mod organisation;
pub mod people;
pub mod scoring;
pub mod store;
pub mod supervision;
pub mod throttle;
pub mod views;

pub use clock::{Clock, FakeClock, SystemClock};
pub use engine::{Engine, EngineSettings, WriteGate};
pub use error::{Error, Result};
pub use lianban_rules::{Actor, Role};
