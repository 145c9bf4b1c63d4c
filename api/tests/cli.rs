//! The `lianban` binary as a newcomer runs it: `serve --demo` with the shipped `lianban.toml`
//! on an SQLite file in the working directory, and a start-up refused for a missing setting.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic: that is how they fail

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn lianban() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lianban"));
    for (key, _) in std::env::vars().filter(|(k, _)| k.starts_with("LIANBAN_")) {
        command.env_remove(key);
    }
    command.env("LIANBAN_LOG", "info");
    command
}

fn shipped_config() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../lianban.toml")
}

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_missing_setting_stops_start_up_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let output = lianban()
        .current_dir(dir.path())
        .args(["--config", "absent.toml", "migrate"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("`jwt_secret` is missing"), "{stderr}");
    assert!(stderr.contains("LIANBAN_JWT_SECRET"), "{stderr}");
    assert!(
        !dir.path().join("lianban.db").exists(),
        "nothing was created"
    );

    let output = lianban()
        .current_dir(dir.path())
        .args(["--config", shipped_config().to_str().unwrap(), "migrate"])
        .env("LIANBAN_BIND", "not-an-address")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("`bind` is bad"), "{stderr}");
}

#[tokio::test]
async fn serve_with_demo_loads_the_centre_and_answers_over_http() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = lianban()
        .current_dir(dir.path())
        .args([
            "--config",
            shipped_config().to_str().unwrap(),
            "serve",
            "--demo",
        ])
        .env("LIANBAN_BIND", "127.0.0.1:0")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let _running = Running(child);

    // The demo loader prints the accounts (read all of it: a closed pipe would fail the
    // printing); the server logs where it listens.
    let printed: Vec<String> = BufReader::new(stdout)
        .lines()
        .take(2 + lianban_engine::demo::ACCOUNTS.len())
        .map(Result::unwrap)
        .collect();
    assert_eq!(printed[0], "Demo centre loaded.");
    assert!(printed[1].contains("Lianban@2026"), "{printed:?}");
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut base = None;
    for line in BufReader::new(stderr).lines() {
        let line = line.unwrap();
        if let Some(at) = line.find("http://") {
            let url = line[at..].split_whitespace().next().unwrap();
            base = Some(url.trim_end_matches("/graphql").to_owned());
            break;
        }
        assert!(Instant::now() < deadline, "server did not start");
    }
    let base = base.expect("server address in the log");
    assert!(
        dir.path().join("lianban.db").exists(),
        "SQLite file in the working directory"
    );

    let client = reqwest::Client::new();
    let health: serde_json::Value = client
        .get(format!("{base}/healthz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        health,
        serde_json::json!({ "status": "ok", "database": "ok" })
    );
    let graphiql = client
        .get(format!("{base}/graphql"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(graphiql.to_lowercase().contains("graphiql"));
    let login: serde_json::Value = client
        .post(format!("{base}/graphql"))
        .json(&serde_json::json!({
            "query": "mutation { login(username: \"scjg.window\", password: \"Lianban@2026\") { me { name } } }"
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(login["data"]["login"]["me"]["name"], "王窗口");
}
