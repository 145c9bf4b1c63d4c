//! Engine errors → GraphQL errors with `extensions.code`; internal details go to the log only.

use async_graphql::{ErrorExtensions, Response};
use lianban_engine::Error;

/// Maps an engine error to a GraphQL error carrying its code (and the field, for bad input).
pub fn to_gql(err: Error) -> async_graphql::Error {
    if let Some(detail) = err.internal_detail() {
        tracing::error!(%detail, "internal error");
    }
    let code = err.code();
    let field = err.field().map(str::to_owned);
    let retry_after = err.retry_after_seconds();
    async_graphql::Error::new(err.to_string()).extend_with(|_, ext| {
        ext.set("code", code);
        if let Some(field) = &field {
            ext.set("field", field.as_str());
        }
        if let Some(seconds) = retry_after {
            ext.set("retryAfterSeconds", seconds);
        }
    })
}

/// Resolver shorthand: `engine_call().await.gql()?`.
pub trait Gql<T> {
    /// Maps the error with [`to_gql`].
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T> Gql<T> for Result<T, Error> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(to_gql)
    }
}

/// Gives every error a code: those raised before any resolver ran (syntax, unknown field,
/// wrong variable type, too deep) are the client's input, so `INVALID_INPUT`.
pub fn ensure_codes(response: &mut Response) {
    for error in &mut response.errors {
        let has_code = error
            .extensions
            .as_ref()
            .is_some_and(|ext| ext.get("code").is_some());
        if !has_code {
            error
                .extensions
                .get_or_insert_with(Default::default)
                .set("code", "INVALID_INPUT");
        }
    }
}
