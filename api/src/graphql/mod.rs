//! The GraphQL schema portals rely on (SPEC §8). Types here wrap engine rows; resolvers parse
//! arguments, call the engine and map its errors to a stable `extensions.code`.

mod depth;
mod enums;
mod errors;
mod filters;
pub mod loaders;
mod mutation;
mod pages;
mod pipeline;
mod query;
mod query_accountability;
mod query_organisation;
mod query_services;
mod session;
mod subscription;
mod text;
mod types;

pub use errors::{ensure_codes, to_gql};
pub use session::Session;

use async_graphql::Schema;
use lianban_engine::Engine;
pub use pipeline::Pipeline;
pub use subscription::SubscriptionRoot;

/// Lianban's GraphQL schema.
pub type LianbanSchema = Schema<Query, mutation::MutationRoot, SubscriptionRoot>;

/// The root of every read.
#[derive(async_graphql::MergedObject, Default)]
pub struct Query(
    query::QueryRoot,
    query_accountability::AccountabilityQuery,
    query_services::ServicesQuery,
    query_organisation::OrganisationQuery,
);

/// Most complex query accepted: one point per field, and more for the reads that aggregate
/// many rows (boards and reports), so that a request of many aliased copies stays bounded.
pub const MAX_COMPLEXITY: usize = 2_000;

/// What a leadership board costs of [`MAX_COMPLEXITY`] (a department board or a score report
/// half of it): at most four leadership boards fit one request. BENCHMARKS.md measures the
/// most expensive request this allows at the W4 scale.
pub const BOARD_COST: usize = 450;

/// What a computed read over many days costs (the calendar, a window's slots, the duty roster,
/// the public announcements): a few dozen fit one request, not hundreds.
pub const SPAN_COST: usize = 50;

/// Builds the schema around an engine, the token issuer and the task-event relay; with
/// `introspection` off, `__schema` and `__type` are refused.
pub fn schema(
    engine: Engine,
    tokens: crate::token::Tokens,
    feed: crate::feed::TaskFeed,
    introspection: bool,
) -> LianbanSchema {
    let builder = Schema::build(
        Query::default(),
        mutation::MutationRoot::default(),
        SubscriptionRoot,
    )
    .data(engine)
    .data(tokens)
    .data(feed)
    .limit_complexity(MAX_COMPLEXITY);
    if introspection {
        builder.finish()
    } else {
        builder.disable_introspection().finish()
    }
}

/// The schema's SDL, as exported to `api/schema.graphql` (`lianban schema` prints it).
pub fn sdl() -> String {
    Schema::build(
        Query::default(),
        mutation::MutationRoot::default(),
        SubscriptionRoot,
    )
    .finish()
    .sdl()
}

#[cfg(test)]
mod tests {
    /// The contract portals build against is the file in review: a change to the schema that is
    /// not also a change to `api/schema.graphql` fails here. `LIANBAN_WRITE_SCHEMA=1` rewrites it.
    #[test]
    fn the_exported_schema_matches_the_code() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql");
        let sdl = super::sdl();
        if std::env::var_os("LIANBAN_WRITE_SCHEMA").is_some() {
            std::fs::write(path, &sdl).unwrap();
        }
        let exported = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            exported == sdl,
            "api/schema.graphql differs from the schema in the code; run \
             `cargo run -- schema > api/schema.graphql` and review the change"
        );
    }
}
