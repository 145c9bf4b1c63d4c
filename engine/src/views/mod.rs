//! What crosses the engine's border: views of what is stored, with the domain's enums and types
//! and nothing of storage (no password hash, no confirmation code). Reads and verbs return these
//! (and [`crate::cases::CaseView`], which also knows who reads it); the API and the workers never
//! name a table.

mod case_parts;
mod catalogue;
mod oversight;
mod people;
mod services;

pub use case_parts::*;
pub use catalogue::*;
pub use oversight::*;
pub use people::*;
pub use services::*;

/// A stored JSON list as its items (empty when it is not such a list; the engine only ever
/// writes lists there).
fn list<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Vec<T> {
    serde_json::from_value(value).unwrap_or_default()
}
