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

/// How async-graphql words an argument it could not parse into its input type.
const ARGUMENT_NOT_PARSED: &str = "Failed to parse \"";

/// Gives every error a code. Those raised before any resolver ran (syntax, unknown field, wrong
/// variable type, too deep — no `path`) are the client's input: `INVALID_INPUT`; so is an
/// argument the server could not parse into its type (an `Int` out of range, a malformed
/// `DateTime`), which async-graphql reports on the field with the message
/// `Failed to parse "<type>": …`. One a resolver raised without a code (every engine error has
/// one) is a fault of ours: `INTERNAL`, logged with its message, never presented to the portal
/// as its own mistake.
pub fn ensure_codes(response: &mut Response) {
    for error in &mut response.errors {
        let has_code = error
            .extensions
            .as_ref()
            .is_some_and(|ext| ext.get("code").is_some());
        if has_code {
            continue;
        }
        let code = if error.path.is_empty() || error.message.starts_with(ARGUMENT_NOT_PARSED) {
            "INVALID_INPUT"
        } else {
            tracing::error!(message = %error.message, path = ?error.path, "internal error without a code");
            error.message = "internal error".to_owned();
            "INTERNAL"
        };
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", code);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::{PathSegment, ServerError};

    fn coded(message: &str, path: Vec<PathSegment>) -> (String, String) {
        let mut error = ServerError::new(message, None);
        error.path = path;
        let mut response = Response::from_errors(vec![error]);
        ensure_codes(&mut response);
        let error = &response.errors[0];
        let code = error
            .extensions
            .as_ref()
            .and_then(|e| e.get("code"))
            .cloned();
        let Some(async_graphql::Value::String(code)) = code else {
            panic!("no code on {error:?}");
        };
        (code, error.message.clone())
    }

    #[test]
    fn the_clients_input_is_invalid_input_and_a_resolvers_uncoded_error_is_internal() {
        let field = || vec![PathSegment::Field("scoreReport".to_owned())];
        assert_eq!(
            coded("Unknown field \"nope\" on type \"Query\".", Vec::new()).0,
            "INVALID_INPUT"
        );
        assert_eq!(
            coded(
                "Failed to parse \"Int\": Only integers from -2147483648 to 2147483647 are accepted.",
                field()
            )
            .0,
            "INVALID_INPUT"
        );
        let (code, message) = coded("Data `Engine` does not exist.", field());
        assert_eq!(code, "INTERNAL");
        assert_eq!(message, "internal error", "the cause is logged, not shown");
    }
}
