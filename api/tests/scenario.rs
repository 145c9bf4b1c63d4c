//! A centre made from nothing through the binary, on SQLite and on PostgreSQL: the first admin
//! by `lianban admin create`, the organisation by import (the repository's sample list, with
//! the demo's department codes) and edits, the demo's matters loaded alone onto those
//! departments (`lianban demo --catalogue`), then the joint case from window to decision by
//! those people — who set their passwords from the links mailed to them, arriving at a real SMTP
//! server. A password is changed, one is reset by a mailed link, and a deactivated clerk is
//! refused over HTTP and has their live subscription closed.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic: that is how they fail

mod support;

#[path = "../../tests/e2e/support/smtp.rs"]
#[allow(dead_code)]
mod smtp;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, Instant};
use support::{graphql, lianban, serve_plain, shipped_config};

const ADMIN_PASSWORD: &str = "青山绿水县中心管理员";
const PASSWORD: &str = "窗明几净好办事2026";

async fn call(base: &str, token: Option<&str>, query: &str, variables: Value) -> Value {
    let mut request = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap().json().await.unwrap()
}

async fn ok(base: &str, token: Option<&str>, query: &str, variables: Value) -> Value {
    let body = call(base, token, query, variables).await;
    assert!(body.get("errors").is_none(), "{query}: {body}");
    body["data"].clone()
}

async fn login(base: &str, username: &str, password: &str) -> String {
    let data = ok(
        base,
        None,
        "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }",
        json!({ "u": username, "p": password }),
    )
    .await;
    data["login"]["token"].as_str().unwrap().to_owned()
}

/// The secret of the newest password link mailed to `to` whose subject holds `subject`.
async fn link_for(sink: &smtp::SmtpSink, to: &str, subject: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(40);
    loop {
        let found = sink
            .received()
            .into_iter()
            .rev()
            .find(|m| m.to.iter().any(|t| t == to) && m.subject.contains(subject));
        if let Some(mail) = found {
            let start = mail.text.find("/password#").unwrap() + "/password#".len();
            return mail.text[start..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
        }
        assert!(Instant::now() < deadline, "no mail `{subject}` for {to}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

fn cli(
    dir: &std::path::Path,
    env: &[(&str, &str)],
    args: &[&str],
    stdin: Option<&str>,
) -> std::process::Output {
    let mut child = lianban()
        .current_dir(dir)
        .args(["--config", shipped_config().to_str().unwrap()])
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(line) = stdin {
        writeln!(input, "{line}").unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

async fn centre_from_nothing(postgres: bool) {
    let sink = smtp::SmtpSink::start();
    let dir = tempfile::tempdir().unwrap();
    let port = sink.port.to_string();
    let schema = format!("scenario_{}", uuid::Uuid::now_v7().simple());
    let pg = std::env::var("LIANBAN_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let sqlite = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("lianban.db").display()
    );
    let mut env: Vec<(&str, &str)> = vec![
        ("LIANBAN_MAIL__TRANSPORT", "smtp"),
        ("LIANBAN_MAIL__SMTP__HOST", "127.0.0.1"),
        ("LIANBAN_MAIL__SMTP__PORT", &port),
        ("LIANBAN_MAIL__SMTP__SECURITY", "none"),
        ("LIANBAN_WORKERS__SEND", "* * * * * *"),
        ("LIANBAN_HTTP__WEBSOCKET_RECHECK_SECONDS", "1"),
    ];
    if postgres {
        env.push(("LIANBAN_DATABASE_URL", &pg));
        env.push(("LIANBAN_DATABASE_SCHEMA", &schema));
    } else {
        env.push(("LIANBAN_DATABASE_URL", &sqlite));
    }

    // The first admin, from the command line.
    let made = cli(
        dir.path(),
        &env,
        &[
            "admin",
            "create",
            "--username",
            "zhang.admin",
            "--name",
            "张管理",
            "--email",
            "zhang.admin@qingshan.example",
            "--centre",
            "青山县政务服务中心",
        ],
        Some(ADMIN_PASSWORD),
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let early = cli(dir.path(), &env, &["demo", "--catalogue"], None);
    assert!(!early.status.success(), "no departments yet");
    assert!(String::from_utf8_lossy(&early.stderr).contains("department SCJG"));

    // The organisation, by import and edits.
    {
        let (_server, base, _) = serve_plain(dir.path(), &env);
        let admin = login(&base, "zhang.admin", ADMIN_PASSWORD).await;
        let text = |name: &str| {
            std::fs::read_to_string(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("../docs/samples")
                    .join(name),
            )
            .unwrap()
        };
        let imported = ok(&base, Some(&admin), "mutation($d: String!, $s: String!) { importOrganisation(input: { format: CSV, departmentsCsv: $d, staffCsv: $s, dryRun: false }) { written staffCreated problems { row message } } }", json!({ "d": text("departments.csv"), "s": text("staff.csv") })).await;
        assert_eq!(
            imported["importOrganisation"]["written"], true,
            "{imported}"
        );
        assert_eq!(imported["importOrganisation"]["staffCreated"], 19);
        // The market department's head takes the window too.
        let all = ok(
            &base,
            Some(&admin),
            "{ staffMembers { id username name email version department { id } } }",
            json!({}),
        )
        .await;
        let head = all["staffMembers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["username"] == "scjg.fuze")
            .unwrap()
            .clone();
        let edited = ok(&base, Some(&admin), "mutation($i: StaffInput!) { saveStaff(input: $i) { staff { roles } } }", json!({ "i": {
            "id": head["id"], "expectedVersion": head["version"], "username": "scjg.fuze", "name": head["name"], "email": head["email"],
            "departmentId": head["department"]["id"], "roles": ["WINDOW", "REVIEWER", "DEPT_HEAD"],
        } })).await;
        assert_eq!(
            edited["saveStaff"]["staff"]["roles"],
            json!(["WINDOW", "REVIEWER", "DEPT_HEAD"])
        );
    }
    // The demo's matters alone, onto those departments.
    let loaded = cli(dir.path(), &env, &["demo", "--catalogue"], None);
    assert!(
        loaded.status.success(),
        "{}",
        String::from_utf8_lossy(&loaded.stderr)
    );
    assert!(String::from_utf8_lossy(&loaded.stdout).contains("6 matters"));
    let refused = cli(dir.path(), &env, &["demo"], None);
    assert!(
        !refused.status.success(),
        "the demo centre is refused on this one"
    );

    let (_server, base, _) = serve_plain(dir.path(), &env);
    // Each person sets their password from the link mailed to them.
    for who in [
        "scjg.chuang",
        "xfjy.shen1",
        "sthj.shen1",
        "wsjk.shen1",
        "wsjk.shen2",
    ] {
        let secret = link_for(
            &sink,
            &format!("{who}@qingshan.example"),
            "请设置您的登录密码",
        )
        .await;
        ok(&base, None, "mutation($t: String!, $n: String!) { setPasswordFromLink(token: $t, newPassword: $n) { username } }", json!({ "t": secret, "n": PASSWORD })).await;
    }

    // The joint case, window to decision.
    let window = login(&base, "scjg.chuang", PASSWORD).await;
    let opened = ok(&base, Some(&window), "mutation { openCase(input: { matterCode: \"JOINT-001\", acceptNow: true, applicant: { name: \"李四\", idNumber: \"110101199003071234\", phone: \"13800138000\" } }) { id status tasks { id department { code } assignee { username } } } }", json!({})).await;
    let case = opened["openCase"]["id"].as_str().unwrap().to_owned();
    assert_eq!(opened["openCase"]["status"], "IN_REVIEW");
    let mut assignees: Vec<String> = opened["openCase"]["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["assignee"]["username"].as_str().unwrap().to_owned())
        .collect();
    assignees.sort();
    assert_eq!(
        assignees,
        ["sthj.shen1", "wsjk.shen1", "xfjy.shen1"],
        "the imported A holders"
    );
    for task in opened["openCase"]["tasks"].as_array().unwrap() {
        let reviewer = login(
            &base,
            task["assignee"]["username"].as_str().unwrap(),
            PASSWORD,
        )
        .await;
        ok(
            &base,
            Some(&reviewer),
            "mutation($t: ID!) { submitOpinion(input: { taskId: $t, kind: APPROVE }) { id } }",
            json!({ "t": task["id"] }),
        )
        .await;
    }
    let decided = ok(
        &base,
        Some(&window),
        "mutation($c: ID!) { decideCase(input: { caseId: $c, outcome: APPROVED }) { status } }",
        json!({ "c": case }),
    )
    .await;
    assert_eq!(decided["decideCase"]["status"], "DECIDED");

    // A password changed, one reset by a mailed link.
    let fire = login(&base, "xfjy.shen1", PASSWORD).await;
    ok(&base, Some(&fire), "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }", json!({ "c": PASSWORD, "n": "消防通道务必保持畅通" })).await;
    login(&base, "xfjy.shen1", "消防通道务必保持畅通").await;
    let admin = login(&base, "zhang.admin", ADMIN_PASSWORD).await;
    let all = ok(
        &base,
        Some(&admin),
        "{ staffMembers { id username version } }",
        json!({}),
    )
    .await;
    let person = |name: &str| {
        all["staffMembers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["username"] == name)
            .unwrap()
            .clone()
    };
    ok(
        &base,
        Some(&admin),
        "mutation($s: ID!) { resetPassword(staffId: $s, method: LINK) { linkExpiresAt } }",
        json!({ "s": person("sthj.shen1")["id"] }),
    )
    .await;
    let secret = link_for(&sink, "sthj.shen1@qingshan.example", "重置登录密码").await;
    ok(&base, None, "mutation($t: String!, $n: String!) { setPasswordFromLink(token: $t, newPassword: $n) { username } }", json!({ "t": secret, "n": "生态优先绿色发展之路" })).await;
    login(&base, "sthj.shen1", "生态优先绿色发展之路").await;

    // A clerk deactivated: refused over HTTP, their live subscription closed.
    let clerk = login(&base, "wsjk.shen1", PASSWORD).await;
    let ws_url = format!("{}/graphql/ws", base.replacen("http", "ws", 1));
    let mut request =
        tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(ws_url)
            .unwrap();
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    use tokio_tungstenite::tungstenite::Message;
    socket
        .send(Message::text(
            json!({ "type": "connection_init", "payload": { "token": clerk } }).to_string(),
        ))
        .await
        .unwrap();
    let acked = socket.next().await.unwrap().unwrap();
    assert!(
        acked.to_text().unwrap().contains("connection_ack"),
        "{acked:?}"
    );
    socket.send(Message::text(json!({ "id": "1", "type": "subscribe", "payload": { "query": "subscription { taskEvents { kind } }" } }).to_string())).await.unwrap();
    let clerk_row = person("wsjk.shen1");
    ok(
        &base,
        Some(&admin),
        "mutation($id: ID!, $v: Int!) { deactivateStaff(id: $id, expectedVersion: $v) { active } }",
        json!({ "id": clerk_row["id"], "v": clerk_row["version"] }),
    )
    .await;
    let me = call(&base, Some(&clerk), "{ me { username } }", json!({})).await;
    assert_eq!(
        me["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{me}"
    );
    let again = call(
        &base,
        None,
        "mutation($p: String!) { login(username: \"wsjk.shen1\", password: $p) { token } }",
        json!({ "p": PASSWORD }),
    )
    .await;
    assert_eq!(again["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    let closed = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(message) = socket.next().await {
            if let Ok(Message::Close(Some(frame))) = message {
                return Some(u16::from(frame.code));
            }
        }
        None
    })
    .await
    .expect("the socket closes within the recheck");
    assert_eq!(closed, Some(4401));
    // The post's new tasks go to its B holder now.
    let next = ok(&base, Some(&window), "mutation { openCase(input: { matterCode: \"JOINT-001\", acceptNow: true, applicant: { name: \"王五\", idNumber: \"110101199003071234\", phone: \"13800138000\" } }) { tasks { department { code } assignee { username } } } }", json!({})).await;
    let health = next["openCase"]["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["department"]["code"] == "WSJK")
        .unwrap()
        .clone();
    assert_eq!(health["assignee"]["username"], "wsjk.shen2");
    let state = graphql(&base, None, "{ installation { state } }").await;
    assert_eq!(state["data"]["installation"]["state"], "CENTRE");

    if postgres {
        support::drop_schema(&pg, &schema).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_centre_from_nothing_runs_the_joint_case_on_sqlite() {
    centre_from_nothing(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_centre_from_nothing_runs_the_joint_case_on_postgres() {
    centre_from_nothing(true).await;
}
