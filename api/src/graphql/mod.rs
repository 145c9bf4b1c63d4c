//! The GraphQL schema portals rely on (SPEC §8). Types here wrap engine rows; resolvers parse
//! arguments, call the engine and map its errors to a stable `extensions.code`.

mod enums;
mod errors;
mod mutation;
mod query;
mod query_accountability;
mod session;
mod types;

pub use errors::{ensure_codes, to_gql};
pub use session::Session;

use async_graphql::{EmptySubscription, Schema};
use lianban_engine::Engine;

/// Lianban's GraphQL schema.
pub type LianbanSchema = Schema<Query, mutation::MutationRoot, EmptySubscription>;

/// The root of every read.
#[derive(async_graphql::MergedObject, Default)]
pub struct Query(query::QueryRoot, query_accountability::AccountabilityQuery);

/// Deepest query accepted.
const MAX_DEPTH: usize = 12;
/// Most complex query accepted (one point per field).
const MAX_COMPLEXITY: usize = 2_000;

/// Builds the schema around an engine and the token issuer.
pub fn schema(engine: Engine, tokens: crate::token::Tokens) -> LianbanSchema {
    Schema::build(
        Query::default(),
        mutation::MutationRoot::default(),
        EmptySubscription,
    )
    .data(engine)
    .data(tokens)
    .limit_depth(MAX_DEPTH)
    .limit_complexity(MAX_COMPLEXITY)
    .finish()
}
