//! Clients written by other teams, against the running binary (`serve --demo` on SQLite):
//! - Python's `gql` runs the README walkthrough over HTTP and follows `taskEvents` over
//!   graphql-transport-ws (`clients/python/walkthrough.py`);
//! - `schemathesis` fuzzes every query and mutation of the live schema as each role and without a
//!   sign-in, operation by operation and in chains (its stateful phase), and must find no 5xx
//!   and no error without a stable code, nor any `INTERNAL` (`clients/fuzz/hooks.py`).
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

/// Fuzzes every query and mutation of the live schema as `username` (none: not signed in), in
/// schemathesis's fuzzing phase and its stateful phase, which chains operations through the
/// links it infers from the schema (an id one answer returns fed to the next request).
fn fuzz_as(username: Option<&str>, seed: u32) {
    let dir = tempfile::tempdir().unwrap();
    let (_running, _, base) = serve_demo(dir.path(), &[]);
    let report = dir.path().join("schemathesis.xml");
    let mut fuzz = Command::new(python());
    fuzz.args(["-m", "schemathesis.cli", "run"])
        .arg(format!("{base}/graphql"));
    if let Some(username) = username {
        let token = login(&base, username);
        fuzz.args(["--header", &format!("Authorization: Bearer {token}")]);
    }
    // `not_a_server_error` counts every GraphQL error as a server error; and
    // `positive_data_acceptance` fails any refusal before execution of a String the schema
    // allows — but text with control characters is refused before anything runs (SPEC §9).
    // hooks.py checks what matters instead: every error coded, none INTERNAL, no 5xx.
    fuzz.args([
        "--exclude-checks",
        "not_a_server_error,positive_data_acceptance",
    ])
    .args([
        "--max-examples",
        "30",
        "--seed",
        &seed.to_string(),
        "--workers",
        "2",
    ])
    .args(["--phases", "fuzzing,stateful"])
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
    assert!(said.contains("Stateful"), "the stateful phase ran: {said}");
}

#[test]
fn schemathesis_finds_no_server_error_and_no_uncoded_error_without_a_sign_in() {
    fuzz_as(None, 20261201);
}

#[test]
fn schemathesis_finds_no_server_error_and_no_uncoded_error_as_a_window() {
    fuzz_as(Some("scjg.window"), 20261202);
}

#[test]
fn schemathesis_finds_no_server_error_and_no_uncoded_error_as_a_reviewer() {
    fuzz_as(Some("xfjy.a"), 20261203);
}

#[test]
fn schemathesis_finds_no_server_error_and_no_uncoded_error_as_a_department_head() {
    fuzz_as(Some("xfjy.head"), 20261204);
}

#[test]
fn schemathesis_finds_no_server_error_and_no_uncoded_error_as_the_centre_admin() {
    fuzz_as(Some("admin"), 20261205);
}

#[test]
fn schemathesis_finds_no_server_error_and_no_uncoded_error_as_a_leader() {
    fuzz_as(Some("leader"), 20261206);
}

#[test]
fn schemathesis_finds_no_server_error_and_no_uncoded_error_as_a_supervisor() {
    fuzz_as(Some("supervisor"), 20261207);
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
