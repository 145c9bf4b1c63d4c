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

/// Starts `serve --demo` in `dir` with the shipped settings and `env`; returns the running
/// process, what the demo loader printed and the server's base address.
fn serve_demo(dir: &std::path::Path, env: &[(&str, &str)]) -> (Running, Vec<String>, String) {
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
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut lines = BufReader::new(stderr).lines();
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(at) = line.find("http://") {
            let url = line[at..].split_whitespace().next().unwrap();
            // Keep reading what the server logs, as a terminal or a journal would.
            std::thread::spawn(move || lines.for_each(drop));
            return (
                running,
                printed,
                url.trim_end_matches("/graphql").to_owned(),
            );
        }
        assert!(Instant::now() < deadline, "server did not start");
    }
    panic!("the server ended without saying where it listens");
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
    let (_running, printed, base) = serve_demo(dir.path(), &[]);
    assert_eq!(printed[0], "Demo centre loaded.");
    assert!(printed[1].contains("Lianban@2026"), "{printed:?}");
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

#[tokio::test]
async fn serve_runs_the_jobs_and_writes_mail_as_eml_files() {
    let dir = tempfile::tempdir().unwrap();
    let (_running, _, base) = serve_demo(dir.path(), &[("LIANBAN_WORKERS__SEND", "* * * * * *")]);
    let client = reqwest::Client::new();
    let post = |token: Option<String>, query: &'static str| {
        let client = client.clone();
        let url = format!("{base}/graphql");
        async move {
            let mut request = client
                .post(url)
                .json(&serde_json::json!({ "query": query }));
            if let Some(token) = token {
                request = request.header("Authorization", format!("Bearer {token}"));
            }
            request
                .send()
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await
                .unwrap()
        }
    };
    let login = post(
        None,
        "mutation { login(username: \"scjg.window\", password: \"Lianban@2026\") { token } }",
    )
    .await;
    let token = login["data"]["login"]["token"].as_str().unwrap().to_owned();
    let opened = post(Some(token), "mutation { openCase(input: { matterCode: \"JOINT-001\", acceptNow: true, applicant: { name: \"张三\", idNumber: \"110101199003071234\", phone: \"13800138000\" } }) { status } }").await;
    assert_eq!(
        opened["data"]["openCase"]["status"], "IN_REVIEW",
        "{opened}"
    );
    // The sender runs every second: the three departments' and the window's mail appear as files.
    let outbox = dir.path().join("outbox");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let files = std::fs::read_dir(&outbox).map(|d| d.count()).unwrap_or(0);
        if files >= 4 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "only {files} mail files after 20 s"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let any = std::fs::read_dir(&outbox)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let text = std::fs::read_to_string(any).unwrap();
    assert!(text.contains("Message-ID: <"), "{text}");
}
