//! `lianban` — see `lianban --help`.

use clap::Parser;
use lianban_api::cli::{Cli, run};

/// mimalloc rather than the system allocator: a GraphQL page allocates and frees thousands of
/// small objects, and glibc's malloc spent a third of the server's time on them (W4 profile).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    lianban_api::telemetry::init();
    match run(Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("lianban: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
