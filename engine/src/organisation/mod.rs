//! 组织 — the centre and its organisation, kept by the centre admin: the centre and its first
//! admin, departments, staff and their roles, posts and their A/B holders. The guards of what a
//! change may not leave behind are rules (`lianban_rules::organisation`); the facts they need
//! are read in `facts`.

pub mod centre;
pub mod departments;
pub mod export;
mod facts;
pub mod import;
pub mod posts;
pub mod staff;

pub use centre::{AdminCreated, Installation, NewAdmin};
pub use departments::SaveDepartment;
pub use import::ImportReport;
pub use posts::{PostView, SavePost};
pub use staff::{SaveStaff, SavedStaff};
