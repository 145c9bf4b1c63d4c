//! The rules' one error type: a decision refused, with a stable [`code`](Error::code) the API puts
//! in GraphQL `extensions.code` (SPEC §8). The engine's error wraps it; a database fault is never
//! one of these, since no rule touches the database.

/// A rule's refusal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// No valid sign-in.
    #[error("{0}")]
    Unauthenticated(String),
    /// The rules do not let this person do this.
    #[error("{0}")]
    Forbidden(String),
    /// The thing named does not exist (or is not visible to this person).
    #[error("{what} not found")]
    NotFound {
        /// What was looked for, e.g. "matter `JOINT-001`".
        what: String,
    },
    /// Input that can never be right: a missing reason, an oversized string, a malformed id.
    #[error("{field}: {message}")]
    InvalidInput {
        /// The input field at fault.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// Right input at the wrong time: the case or task is not in a state that allows it.
    #[error("{0}")]
    InvalidState(String),
    /// Clashes with something that exists (a reused key, a duplicate name).
    #[error("{0}")]
    Conflict(String),
    /// Data a rule was given that can never be (a stored value out of its range): a fault of
    /// ours, not the caller's (code `INTERNAL`).
    #[error("internal error")]
    Corrupt(String),
}

/// Result with the rules' [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The stable code clients rely on.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Unauthenticated(_) => "UNAUTHENTICATED",
            Error::Forbidden(_) => "FORBIDDEN",
            Error::NotFound { .. } => "NOT_FOUND",
            Error::InvalidInput { .. } => "INVALID_INPUT",
            Error::InvalidState(_) => "INVALID_STATE",
            Error::Conflict(_) => "CONFLICT",
            Error::Corrupt(_) => "INTERNAL",
        }
    }

    /// Shorthand for [`Error::InvalidInput`].
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidInput {
            field: field.into(),
            message: message.into(),
        }
    }

    /// Shorthand for [`Error::NotFound`].
    pub fn not_found(what: impl Into<String>) -> Self {
        Error::NotFound { what: what.into() }
    }

    /// The input field at fault, for `INVALID_INPUT`.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::InvalidInput { field, .. } => Some(field),
            _ => None,
        }
    }
}
