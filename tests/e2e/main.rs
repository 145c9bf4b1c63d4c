//! Lianban end to end: the real router on a random port, a fresh database per test, driven
//! over GraphQL the way portals drive it. Every scenario runs twice, on SQLite and on
//! PostgreSQL (see DEVELOPERS.md for the server the PostgreSQL half needs).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic: that is how they fail

/// Defines each scenario once and runs it on both databases: `scenario_name::sqlite` and
/// `scenario_name::postgres`.
macro_rules! on_both_databases {
    ($(async fn $name:ident($app:ident: TestApp) $body:block)*) => {$(
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn scenario($app: $crate::support::TestApp) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                scenario($crate::support::spawn_app($crate::support::Db::Sqlite).await).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                scenario($crate::support::spawn_app($crate::support::Db::Postgres).await).await
            }
        }
    )*};
}

mod accountability;
mod accounts;
mod announcements;
mod appointments;
mod auth;
mod authorization;
mod bad_input;
mod boards;
mod booking_limits;
mod calendar;
mod clocks;
mod complaints;
mod concurrency;
mod decisions;
mod deemed;
mod duty;
mod guides;
mod idempotency;
mod ladder;
mod mail;
mod migrations;
mod month;
mod organisation;
mod organisation_import;
mod people;
mod portal_api;
mod security;
mod sign_in;
mod subscriptions;
mod supervision;
mod supplement;
mod support;
mod urgent;
mod walkthrough;
