//! The engine's plumbing, shared by every room: connecting ([`db`]), hand-written SQL ([`sql`]),
//! writes sent together ([`batch`]),
//! keyset pages ([`page`]), idempotency keys ([`idempotency`]) and the reference data kept in
//! memory ([`reference`]).

pub(crate) mod batch;
pub mod db;
pub mod idempotency;
pub mod page;
pub mod reference;
pub(crate) mod sql;
