//! The domain's enums: what a case, a task, a clock, a notice, a supervision item, a complaint, an
//! evaluation and an appointment can be. Stored as their SCREAMING_SNAKE names (the entity crate
//! keeps a column type for each, converting both ways); each lists its values in `ALL`.

mod case;
mod oversight;
mod service;

pub use case::*;
pub use oversight::*;
pub use service::*;
