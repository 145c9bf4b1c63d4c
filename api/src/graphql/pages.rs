//! Relay connections for every list that grows: a keyset cursor (the last item's id), `first`
//! (1–100, default 20) and `after`, `pageInfo`, `nodes` beside `edges`, and — on the lists where
//! counting is cheap (a person's tasks, a department's items) — `totalCount`, counted only when
//! the query selects it.

use crate::graphql::errors::Gql;
use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, SimpleObject};
use lianban_engine::store::page::{Page, PageRequest};
use uuid::Uuid;

/// The extra field of a counted list.
#[derive(SimpleObject, Default)]
pub struct Totals {
    /// How many items match the filters across every page (null unless selected).
    total_count: Option<u64>,
}

/// A list with `totalCount`.
pub type Counted<N> = Connection<String, N, Totals>;
/// A list without it.
pub type Listed<N> = Connection<String, N>;

/// The page a list resolver was asked for; counting only if `totalCount` is selected.
///
/// # Errors
/// `INVALID_INPUT` for `first` outside 1..=100 or a malformed cursor.
pub(crate) fn request(
    ctx: &Context<'_>,
    first: Option<i32>,
    after: Option<&str>,
) -> async_graphql::Result<PageRequest> {
    let counting = ctx.look_ahead().field("totalCount").exists();
    Ok(PageRequest::new(first, after).gql()?.counting(counting))
}

/// A counted connection over an engine page; each item's cursor is its id.
pub(crate) fn counted<T, N>(
    page: Page<T>,
    asked: PageRequest,
    id: impl Fn(&T) -> Uuid,
    node: impl Fn(T) -> N,
) -> Counted<N>
where
    N: async_graphql::OutputType,
{
    let mut connection = Connection::with_additional_fields(
        asked.after.is_some(),
        page.has_next,
        Totals {
            total_count: page.total,
        },
    );
    connection.edges.extend(
        page.items
            .into_iter()
            .map(|item| Edge::new(id(&item).to_string(), node(item))),
    );
    connection
}

/// An uncounted connection over an engine page.
pub(crate) fn listed<T, N>(
    page: Page<T>,
    asked: PageRequest,
    id: impl Fn(&T) -> Uuid,
    node: impl Fn(T) -> N,
) -> Listed<N>
where
    N: async_graphql::OutputType,
{
    let mut connection = Connection::new(asked.after.is_some(), page.has_next);
    connection.edges.extend(
        page.items
            .into_iter()
            .map(|item| Edge::new(id(&item).to_string(), node(item))),
    );
    connection
}
