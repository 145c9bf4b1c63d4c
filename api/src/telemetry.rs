//! Logging: `tracing` to stderr, filtered by `LIANBAN_LOG` (default `info`); one JSON object a
//! line with `LIANBAN_LOG_FORMAT=json` (for a log collector), human-readable otherwise. Every
//! line of a request carries its `request_id` (the `x-request-id` header, made when missing and
//! echoed in the response).

use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

/// Installs the global subscriber once; later calls do nothing.
pub fn init() {
    init_with_default("info,sqlx=warn,sea_orm=warn");
}

/// Installs the global subscriber with `default` as the filter when `LIANBAN_LOG` is unset.
pub fn init_with_default(default: &str) {
    let filter = EnvFilter::try_from_env("LIANBAN_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    let json = std::env::var("LIANBAN_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    // A log line that cannot be written (stderr closed) is dropped, never a crash.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .log_internal_errors(false);
    let _ = if json {
        builder.json().with_current_span(true).try_init()
    } else {
        builder
            .with_ansi(std::io::stderr().is_terminal())
            .try_init()
    };
}
