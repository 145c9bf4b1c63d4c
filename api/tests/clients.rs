//! Clients written by other teams, against the running binary (`serve --demo` on SQLite):
//! - Python's `gql` runs the README walkthrough over HTTP and follows `taskEvents` over
//!   graphql-transport-ws (`clients/python/walkthrough.py`);
//! - `schemathesis` fuzzes every query and mutation of the live schema, signed in, and must
//!   find no 5xx and no error without a stable code, nor any `INTERNAL` (`clients/fuzz/hooks.py`).
//!
//! Both need the Python tools of `scripts/test-requirements.txt` (`scripts/services` installs
//! them; `LIANBAN_TEST_PYTHON` names the interpreter). Without them the tests fail, never skip.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic: that is how they fail

mod support;

use std::path::PathBuf;
use std::process::Command;
use support::serve_demo;

fn python() -> PathBuf {
    let python = std::env::var("LIANBAN_TEST_PYTHON")
        .expect("LIANBAN_TEST_PYTHON names the Python with the test tools (scripts/test sets it)");
    PathBuf::from(python)
}

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs `command` and fails the test with its output when it does not succeed.
fn succeeds(mut command: Command, what: &str) -> String {
    let output = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{what} failed:\n{stdout}\n{stderr}"
    );
    stdout
}

#[test]
fn a_python_gql_client_runs_the_readme_walkthrough_and_hears_task_events() {
    let dir = tempfile::tempdir().unwrap();
    let (_running, _, base) = serve_demo(dir.path(), &[]);
    let mut client = Command::new(python());
    client
        .arg(repository().join("clients/python/walkthrough.py"))
        .arg(&base);
    let said = succeeds(client, "the Python walkthrough");
    assert!(said.contains("decided; taskEvents heard"), "{said}");
}

#[test]
fn schemathesis_finds_no_server_error_and_no_uncoded_error_on_the_live_schema() {
    let dir = tempfile::tempdir().unwrap();
    let (_running, _, base) = serve_demo(dir.path(), &[]);
    let token = login(&base, "admin");
    let report = dir.path().join("schemathesis.xml");
    let mut fuzz = Command::new(python());
    fuzz.args(["-m", "schemathesis.cli", "run"])
        .arg(format!("{base}/graphql"))
        .args(["--header", &format!("Authorization: Bearer {token}")])
        // `not_a_server_error` counts every GraphQL error as a server error; and
        // `positive_data_acceptance` fails any refusal before execution of a String the schema
        // allows — but text with control characters is refused before anything runs (SPEC §9).
        // hooks.py checks what matters instead: every error coded, none INTERNAL, no 5xx.
        .args([
            "--exclude-checks",
            "not_a_server_error,positive_data_acceptance",
        ])
        .args([
            "--max-examples",
            "25",
            "--seed",
            "20261201",
            "--workers",
            "2",
        ])
        .args(["--phases", "examples,coverage,fuzzing"])
        .args(["--generation-database", "none", "--no-color"])
        .arg("--report-junit-path")
        .arg(&report)
        .args(["--report", "junit"])
        .env(
            "SCHEMATHESIS_HOOKS",
            repository().join("clients/fuzz/hooks.py"),
        )
        .current_dir(dir.path());
    let said = succeeds(fuzz, "schemathesis");
    assert!(said.contains("passed"), "{said}");
}

/// A token for `username` (the demo password), over HTTP with the client the tests use.
fn login(base: &str, username: &str) -> String {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let body: serde_json::Value = reqwest::Client::new()
            .post(format!("{base}/graphql"))
            .json(&serde_json::json!({
                "query": "mutation($u: String!) { login(username: $u, password: \"Lianban@2026\") { token } }",
                "variables": { "u": username }
            }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        body["data"]["login"]["token"].as_str().unwrap().to_owned()
    })
}
