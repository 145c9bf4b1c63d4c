//! Running the real `lianban` binary from the tests of this package: the shipped settings, a
//! `serve --demo` in a directory of the test's, and the process stopped when the test ends.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // each test file uses a part

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn lianban() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lianban"));
    for (key, _) in std::env::vars().filter(|(k, _)| k.starts_with("LIANBAN_")) {
        command.env_remove(key);
    }
    command.env("LIANBAN_LOG", "info");
    command
}

pub fn shipped_config() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../lianban.toml")
}

/// Starts `serve --demo` in `dir` with the shipped settings and `env`; returns the running
/// process, what the demo loader printed and the server's base address.
pub fn serve_demo(dir: &std::path::Path, env: &[(&str, &str)]) -> (Running, Vec<String>, String) {
    let (running, printed, base, _log) = serve_demo_logged(dir, env);
    (running, printed, base)
}

/// What a server has logged so far (its stderr, a line each), kept while it runs.
pub type Log = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

/// [`serve_demo`], also keeping what the server logs.
pub fn serve_demo_logged(
    dir: &std::path::Path,
    env: &[(&str, &str)],
) -> (Running, Vec<String>, String, Log) {
    let mut child = lianban()
        .current_dir(dir)
        .args([
            "--config",
            shipped_config().to_str().unwrap(),
            "serve",
            "--demo",
        ])
        .env("LIANBAN_BIND", "127.0.0.1:0")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let running = Running(child);
    // The demo loader prints the accounts (read all of it: a closed pipe would fail the
    // printing); the server logs where it listens.
    let printed: Vec<String> = BufReader::new(stdout)
        .lines()
        .take(2 + lianban_engine::demo::ACCOUNTS.len())
        .map(Result::unwrap)
        .collect();
    let (base, log) = address_from_log(stderr);
    (running, printed, base, log)
}

/// Starts `lianban serve` (no demo) in `dir` with the shipped settings and `env`; returns the
/// process, its base address and what it logged before it listened.
pub fn serve_plain(dir: &std::path::Path, env: &[(&str, &str)]) -> (Running, String, Vec<String>) {
    let mut child = lianban()
        .current_dir(dir)
        .args(["--config", shipped_config().to_str().unwrap(), "serve"])
        .env("LIANBAN_BIND", "127.0.0.1:0")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let running = Running(child);
    let mut before = Vec::new();
    let mut lines = BufReader::new(stderr).lines();
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(at) = line.find("http://") {
            let url = line[at..].split_whitespace().next().unwrap();
            // Keep draining the log, as a terminal would.
            std::thread::spawn(move || for _ in lines.map_while(Result::ok) {});
            return (running, url.trim_end_matches("/graphql").to_owned(), before);
        }
        before.push(line);
    }
    panic!("the server ended without listening: {before:?}");
}

pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Reads a server's log until it says where it listens, then keeps reading it (as a terminal or
/// a journal would) into the returned [`Log`]. Returns the base address
/// (`http://127.0.0.1:PORT`) and the log.
pub fn address_from_log(stderr: std::process::ChildStderr) -> (String, Log) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut lines = BufReader::new(stderr).lines();
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(at) = line.find("http://") {
            let url = line[at..].split_whitespace().next().unwrap();
            let log = Log::default();
            let kept = log.clone();
            std::thread::spawn(move || {
                for line in lines.map_while(Result::ok) {
                    kept.lock().unwrap().push(line);
                }
            });
            return (url.trim_end_matches("/graphql").to_owned(), log);
        }
        assert!(Instant::now() < deadline, "server did not start");
    }
    panic!("the server ended without saying where it listens");
}

/// Posts `query` to the server at `base` (with `token` as the bearer, when given); the whole
/// answer.
pub async fn graphql(base: &str, token: Option<&str>, query: &str) -> serde_json::Value {
    let mut request = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .json(&serde_json::json!({ "query": query }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap().json().await.unwrap()
}

/// Signs in as a demo account at `base`; the token.
pub async fn sign_in(base: &str, username: &str) -> String {
    let query = format!(
        "mutation {{ login(username: \"{username}\", password: \"Lianban@2026\") {{ token }} }}"
    );
    let body = graphql(base, None, &query).await;
    body["data"]["login"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

/// Drops a test's PostgreSQL schema.
pub async fn drop_schema(url: &str, schema: &str) {
    use sea_orm::ConnectionTrait;
    let db = sea_orm::Database::connect(url).await.unwrap();
    db.execute_unprepared(&format!("DROP SCHEMA {schema} CASCADE"))
        .await
        .unwrap();
}
