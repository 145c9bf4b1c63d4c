//! `lianban` — see `lianban --help`.

use clap::Parser;
use lianban_api::cli::{Cli, run};

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
