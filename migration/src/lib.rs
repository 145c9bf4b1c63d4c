//! Lianban's schema, one explicit and reversible step per file.
//!
//! Each step spells out its DDL with sea-query builders so it is the same on SQLite and
//! PostgreSQL; none is generated from today's entities (which would drift silently). Every step
//! runs in a transaction on both databases, so a failed step leaves nothing half-made.

pub use sea_orm_migration::prelude::*;

mod ddl;
mod m20261123_000001_organisation;
mod m20261123_000002_catalogue;
mod m20261123_000003_cases;
mod m20261123_000004_events_outbox;
mod m20261124_000005_pauses_calendar;
mod m20261125_000006_lifecycle;
mod m20261126_000007_supervision;
mod m20261127_000008_announcements;
mod m20261127_000009_complaints;
mod m20261128_000010_accountability;
mod m20261201_000011_board_tallies;
mod m20261202_000012_centre_services;
mod m20261203_000013_security;
mod m20261206_000014_tally_row_trigger;
mod m20261207_000015_centre_accounts;

/// Runs Lianban's migrations in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_organisation::Migration),
            Box::new(m20261123_000002_catalogue::Migration),
            Box::new(m20261123_000003_cases::Migration),
            Box::new(m20261123_000004_events_outbox::Migration),
            Box::new(m20261124_000005_pauses_calendar::Migration),
            Box::new(m20261125_000006_lifecycle::Migration),
            Box::new(m20261126_000007_supervision::Migration),
            Box::new(m20261127_000008_announcements::Migration),
            Box::new(m20261127_000009_complaints::Migration),
            Box::new(m20261128_000010_accountability::Migration),
            Box::new(m20261201_000011_board_tallies::Migration),
            Box::new(m20261202_000012_centre_services::Migration),
            Box::new(m20261203_000013_security::Migration),
            Box::new(m20261206_000014_tally_row_trigger::Migration),
            Box::new(m20261207_000015_centre_accounts::Migration),
        ]
    }
}
