//! Lianban's API: typed settings, the axum router with GraphQL at `/graphql`, sign-in tokens,
//! and the `lianban` binary's commands. Resolvers parse, call the engine, map the result; no
//! rule lives here.

pub mod cli;
pub mod client;
pub mod export;
pub mod feed;
pub mod graphql;
mod http;
pub mod metrics;
pub mod server;
pub mod settings;
pub mod sheets;
pub mod sso;
pub mod startup;
pub mod telemetry;
pub mod token;
pub mod web;
pub mod ws;

pub use settings::Settings;
pub use startup::{Application, build_engine, build_workers};
