//! Logging: `tracing` to stderr, filtered by `LIANBAN_LOG` (default `info`).

use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

/// Installs the global subscriber once; later calls do nothing.
pub fn init() {
    init_with_default("info,sqlx=warn,sea_orm=warn");
}

/// Installs the global subscriber with `default` as the filter when `LIANBAN_LOG` is unset.
pub fn init_with_default(default: &str) {
    let filter = EnvFilter::try_from_env("LIANBAN_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}
