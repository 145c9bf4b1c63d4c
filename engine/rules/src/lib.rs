//! Lianban's rules: every decision that needs no database, as plain functions over plain types.
//!
//! The engine's transactions load rows, ask these rules, and write what they decide; nothing here
//! can query or await (the crate depends on neither sea-orm nor tokio, so the compiler says so).
//! A domain's rules live in the module of the same name as its transactions in
//! `lianban-engine` (`guides` here, `engine/src/guides/` there).
//!
//! - time: [`calendar`] (working days and office hours), [`deadline`], [`clocks`] (the
//!   statutory clock and its lights);
//! - [`cases`]: the transition table (the lifecycle), acceptance, the merge, the one-time
//!   supplement, the text of every notice ([`cases::notices`]);
//! - people: [`roles`], [`policy`] (who may do what), [`people`] (AB posts);
//! - each domain's rules: [`appointments`], [`complaints`], [`escalation`] (the plan, and the
//!   ladder of reminders and cards in [`escalation::ladder`]), [`follow_up`], [`guides`],
//!   [`scoring`], [`supervision`], [`throttle`];
//! - [`validate`] (input limits), [`enums`] (what things can be), [`events`] and [`mail`] (what
//!   a decision asks to be recorded and sent), [`error`].

pub mod accounts;
pub mod appointments;
pub mod calendar;
pub mod cases;
pub mod catalogue;
pub mod clocks;
pub mod complaints;
pub mod deadline;
pub mod enums;
pub mod error;
pub mod escalation;
pub mod events;
pub mod follow_up;
pub mod guides;
pub mod mail;
pub mod organisation;
pub mod organisation_import;
pub mod people;
pub mod policy;
pub mod roles;
pub mod scoring;
pub mod supervision;
pub mod throttle;
pub mod validate;

pub use calendar::{DayKind, OfficeHours, WorkingCalendar};
pub use enums::*;
pub use error::{Error, Result};
pub use policy::Actor;
pub use roles::{Role, RoleSet};
