//! The engine's one error type. Each variant carries a stable code that the API puts in
//! GraphQL `extensions.code` (SPEC §8); messages are for people and never contain SQL.

use sea_orm::DbErr;

/// An engine failure, with a stable [`code`](Error::code).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No valid sign-in.
    #[error("{0}")]
    Unauthenticated(String),
    /// Signed in, but the rules do not let this person do this.
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
    /// Too many sign-in attempts: refused without checking (code `UNAUTHENTICATED`).
    #[error("too many sign-in attempts; try again in {retry_after_seconds} seconds")]
    TooManyAttempts {
        /// When the next attempt will be considered.
        retry_after_seconds: i64,
    },
    /// An allowance used up (anonymous bookings per day): refused without doing anything
    /// (code `FORBIDDEN`).
    #[error("{what}; try again in {retry_after_seconds} seconds")]
    Limited {
        /// Which allowance, e.g. "at most 3 bookings a day for one phone".
        what: String,
        /// When it renews.
        retry_after_seconds: i64,
    },
    /// A rule refused (see `lianban_rules::Error`); its code is the rule's.
    #[error(transparent)]
    Rule(#[from] lianban_rules::Error),
    /// The database refused or failed while `operation` was under way; the cause is kept as the
    /// source (code `INTERNAL`; details go to the log, not to the caller).
    #[error("internal error")]
    Database {
        /// What was being done, e.g. "locking the case".
        operation: &'static str,
        /// The database's own error.
        #[source]
        source: DbErr,
    },
    /// A fault of ours or of the infrastructure; details go to the log, not to the caller.
    #[error("internal error")]
    Internal(String),
}

/// Result with the engine's [`Error`].
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
            Error::TooManyAttempts { .. } => "UNAUTHENTICATED",
            Error::Limited { .. } => "FORBIDDEN",
            Error::Rule(rule) => rule.code(),
            Error::Internal(_) | Error::Database { .. } => "INTERNAL",
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

    /// Seconds until a refused attempt may be made again, for limits.
    pub fn retry_after_seconds(&self) -> Option<i64> {
        match self {
            Error::TooManyAttempts {
                retry_after_seconds,
            }
            | Error::Limited {
                retry_after_seconds,
                ..
            } => Some(*retry_after_seconds),
            _ => None,
        }
    }

    /// The detail behind an internal error, for the server log: what failed and its causes.
    pub fn internal_detail(&self) -> Option<String> {
        match self {
            Error::Internal(detail) | Error::Rule(lianban_rules::Error::Corrupt(detail)) => {
                Some(detail.clone())
            }
            Error::Database { operation, source } => {
                let mut detail = format!("database error while {operation}: {source}");
                let mut cause = std::error::Error::source(source);
                while let Some(inner) = cause {
                    detail.push_str(&format!(": {inner}"));
                    cause = inner.source();
                }
                Some(detail)
            }
            _ => None,
        }
    }

    /// The input field at fault, for `INVALID_INPUT`.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::InvalidInput { field, .. } => Some(field),
            Error::Rule(rule) => rule.field(),
            _ => None,
        }
    }
}

impl From<DbErr> for Error {
    fn from(source: DbErr) -> Self {
        Error::Database {
            operation: "a database statement",
            source,
        }
    }
}

/// Names what was being done when a database call failed: `.during("locking the case")?`.
pub trait During<T> {
    /// The result, its error (if any) an [`Error::Database`] naming `operation`.
    ///
    /// # Errors
    /// The database error, with `operation`.
    fn during(self, operation: &'static str) -> Result<T>;
}

impl<T> During<T> for std::result::Result<T, DbErr> {
    fn during(self, operation: &'static str) -> Result<T> {
        self.map_err(|source| Error::Database { operation, source })
    }
}
