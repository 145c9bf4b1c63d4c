//! SPEC §10 workloads, measured — a benchmark, not a test: it prints figures and checks
//! correctness gates; it asserts no speed.
//!
//! ```text
//! cargo bench -p lianban-tests --bench workloads                    # W1 and W2, both databases
//! cargo bench -p lianban-tests --bench workloads -- w1              # only W1
//! cargo bench -p lianban-tests --bench workloads -- w2 postgres     # only W2 on PostgreSQL
//! cargo bench -p lianban-tests --bench workloads -- w3              # W3 (PostgreSQL; named only)
//! ```
//! PostgreSQL: `LIANBAN_TEST_DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/test`);
//! every run works in a schema of its own and drops it.

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)] // a benchmark reports on stdout

mod boards;
mod ceiling;
mod setup;
mod stats;
mod w1;
mod w2;
mod w3;

use setup::Backend;

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let named = |options: &[&str]| -> Vec<String> {
        let chosen: Vec<String> = options
            .iter()
            .filter(|o| args.iter().any(|a| a == *o))
            .map(|o| o.to_string())
            .collect();
        if chosen.is_empty() {
            options.iter().map(|o| o.to_string()).collect()
        } else {
            chosen
        }
    };
    let workloads = named(&["w1", "w2", "w3"]);
    let backends: Vec<Backend> = named(&["sqlite", "postgres"])
        .iter()
        .map(|b| {
            if b == "sqlite" {
                Backend::Sqlite
            } else {
                Backend::Postgres
            }
        })
        .collect();
    println!("{}", setup::machine());
    for backend in &backends {
        if workloads.iter().any(|w| w == "w1") {
            w1::run(*backend).await;
        }
        if workloads.iter().any(|w| w == "w2") {
            w2::run(*backend).await;
        }
        if args.iter().any(|a| a == "w3") {
            w3::run(*backend).await;
        }
    }
}
