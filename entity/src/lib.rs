//! Lianban's tables as sea-orm entities.
//!
//! Plain data only: one module per table, and the column types of the domain's enums (whose
//! values and meaning are `lianban_rules::enums`). Rules live in `lianban-rules`, the
//! transactions in `lianban-engine`; GraphQL types live in `lianban-api`. The schema itself is
//! written by hand in `lianban-migration`, never generated from these types.

pub mod absence;
pub mod appointment;
pub mod calendar_year_version;
pub mod case;
pub mod case_number_counter;
pub mod centre;
pub mod clock;
pub mod clock_pause;
pub mod complaint;
pub mod department;
pub mod duty_alert;
pub mod duty_roster;
pub mod enums;
pub mod evaluation;
pub mod event;
pub mod idempotency_key;
pub mod matter;
pub mod matter_department;
pub mod negative_report;
pub mod notice;
pub mod opinion;
pub mod outbox;
pub mod password_reset;
pub mod post;
pub mod post_b_holder;
pub mod score_entry;
pub mod scoring_rule;
pub mod service_guide;
pub mod service_window;
pub mod session;
pub mod sign_in;
pub mod signing_key;
pub mod sso_attempt;
pub mod staff;
pub mod supervision_item;
pub mod suspension;
pub mod task;
pub mod throttle;

pub use enums::*;
