//! The `lianban` binary as a newcomer runs it: `serve --demo` with the shipped `lianban.toml`
//! on an SQLite file in the working directory, and a start-up refused for a missing setting.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic: that is how they fail

mod support;

use std::time::{Duration, Instant};
use support::{lianban, serve_demo, shipped_config};

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
