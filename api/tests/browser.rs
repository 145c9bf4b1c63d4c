//! The pages in a real browser: headless Chromium (Debian's `chromium`) driven by
//! `playwright-core` (`clients/browser/pages.mjs`) against the real binary serving the demo
//! centre. The overdue case the leader must see is prepared the only way a production build
//! allows: by working the case through the API two weeks ago — an in-process app on the same
//! SQLite file with a fake clock — before `lianban serve` starts on that file with the real one.
//!
//! Needs Node.js, `clients/browser/node_modules` (`npm ci`) and Chromium; `scripts/services`
//! installs both. Without them the test fails, never skips.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic: that is how they fail

mod support;

use chrono::Duration;
use lianban_api::{Application, Settings, build_engine, build_workers};
use lianban_engine::{Clock, FakeClock, SystemClock};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use support::serve_plain;

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

async fn post(base: &str, token: Option<&str>, query: &str, variables: Value) -> Value {
    let mut request = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(token) = token {
        request = request.header("Authorization", format!("Bearer {token}"));
    }
    let body: Value = request.send().await.unwrap().json().await.unwrap();
    assert!(body.get("errors").is_none(), "{body}");
    body["data"].clone()
}

async fn login(base: &str, username: &str) -> String {
    let data = post(
        base,
        None,
        "mutation($u: String!) { login(username: $u, password: \"Lianban@2026\") { token } }",
        json!({ "u": username }),
    )
    .await;
    data["login"]["token"].as_str().unwrap().to_owned()
}

/// Two weeks ago, through the API: the demo centre, and a joint case accepted at the window
/// (each department had 5 working days) and paused a day for an expert review; and 杨消防's
/// leave, from an hour ago for a week. Returns the case number.
async fn a_case_accepted_two_weeks_ago(url: &str) -> String {
    let settings = Settings::from_figment(Settings::defaults_with(json!({
        "database_url": url,
        "bind": "127.0.0.1:0",
        "jwt_secret": "browser-test-preparation-0123456789abcdef",
        "workers": { "enabled": false },
    })))
    .unwrap();
    let now = SystemClock.now();
    let clock = Arc::new(FakeClock::new(now - Duration::days(14)));
    let engine = build_engine(&settings, clock.clone()).await.unwrap();
    engine.load_demo().await.unwrap();
    let workers = Arc::new(build_workers(&settings, engine.clone()).unwrap());
    let app = Application::build(&settings, workers).await.unwrap();
    let base = format!("http://{}", app.local_addr().unwrap());
    let server = tokio::spawn(app.run());
    let window = login(&base, "scjg.window").await;
    let opened = post(&base, Some(&window), "mutation { openCase(input: { matterCode: \"JOINT-001\", acceptNow: true, applicant: { name: \"张三\", idNumber: \"110101199003071234\", phone: \"13800138000\" } }) { id number status } }", json!({})).await;
    assert_eq!(opened["openCase"]["status"], "IN_REVIEW");
    let case_id = opened["openCase"]["id"].as_str().unwrap().to_owned();
    // An expert review paused its clocks for a day.
    post(&base, Some(&window), "mutation($c: ID!) { suspendCase(input: { caseId: $c, procedure: EXPERT_REVIEW, reason: \"专家评审\", legalBasis: \"《行政许可法》第四十五条\", expectedDays: 1 }) { status } }", json!({ "c": case_id })).await;
    clock.advance(Duration::days(1));
    let window = login(&base, "scjg.window").await; // a token lasts 12 hours
    post(
        &base,
        Some(&window),
        "mutation($c: ID!) { resumeCase(caseId: $c) { status } }",
        json!({ "c": case_id }),
    )
    .await;
    // 杨消防 is on leave from an hour ago for a week.
    let head = login(&base, "xfjy.head").await;
    let staff = post(
        &base,
        Some(&head),
        "{ me { department { staff { id username } } } }",
        json!({}),
    )
    .await;
    let b = staff["me"]["department"]["staff"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["username"] == "xfjy.b")
        .unwrap()["id"]
        .clone();
    let (from, to) = (
        (now - Duration::hours(1)).to_rfc3339(),
        (now + Duration::days(7)).to_rfc3339(),
    );
    post(&base, Some(&head), "mutation($s: ID!, $from: DateTime!, $to: DateTime!) { recordAbsence(input: { staffId: $s, startsAt: $from, endsAt: $to, reason: \"年休假\" }) { id } }", json!({ "s": b, "from": from, "to": to })).await;
    // A supervisor opens a supervision item on 消防救援大队 for the case.
    let supervisor = login(&base, "supervisor").await;
    let fire = post(
        &base,
        Some(&head),
        "{ me { department { id } } }",
        json!({}),
    )
    .await["me"]["department"]["id"]
        .clone();
    post(&base, Some(&supervisor), "mutation($d: ID!, $c: ID!) { openSupervision(input: { departmentId: $d, caseId: $c, title: \"餐饮店开业联办超期\", detail: \"请说明消防审查超期原因\" }) { id } }", json!({ "d": fire, "c": case_id })).await;
    server.abort();
    engine.db().clone().close().await.unwrap();
    opened["openCase"]["number"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leader_sees_the_overdue_case_and_a_reviewer_approves_it_in_the_browser() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("lianban.db").display()
    );
    let number = a_case_accepted_two_weeks_ago(&url).await;

    let (_running, base, _) = serve_plain(dir.path(), &[("LIANBAN_DATABASE_URL", &url)]);

    let output = Command::new("node")
        .arg(repository().join("clients/browser/pages.mjs"))
        .arg(&base)
        .arg(&number)
        .output()
        .expect("node (Node.js) runs the browser script");
    let said = String::from_utf8_lossy(&output.stdout);
    let why = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the browser script failed:\n{said}\n{why}"
    );
    for step in [
        "leader: the board shows",
        "leader: the case page",
        "the pause",
        "leader: the open supervision item",
        "board: refreshed",
        "phone width",
        "reviewer: the queue shows who is away",
        "Asia/Shanghai",
        "reviewer: a reject without a reason is refused",
        "reviewer: approved",
        "the queue and the case page fit 390 px",
    ] {
        assert!(said.contains(step), "missing step `{step}` in:\n{said}");
    }
}
