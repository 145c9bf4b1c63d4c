//! The `lianban` binary as a newcomer runs it: `serve --demo` with the shipped `lianban.toml`
//! on an SQLite file in the working directory, and a start-up refused for a missing setting.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic: that is how they fail

mod support;

use std::process::Command;
use std::time::{Duration, Instant};
use support::{graphql, lianban, serve_demo, serve_demo_logged, shipped_config, sign_in};

#[test]
fn a_bad_setting_stops_start_up_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    // The secret an earlier lianban.toml shipped: refused on SQLite as on PostgreSQL.
    let output = lianban()
        .current_dir(dir.path())
        .args(["--config", shipped_config().to_str().unwrap(), "migrate"])
        .env(
            "LIANBAN_JWT_SECRET",
            "development-only-secret-change-me-for-production-use",
        )
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("`jwt_secret` is bad"), "{stderr}");
    assert!(stderr.contains("published"), "{stderr}");
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
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("lianban.db"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o777,
            0o600,
            "the database (and the signing key in it) readable by the service's account only"
        );
    }

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

/// SIGTERM while a request is being read: the server stops taking connections, answers the
/// request in flight, lets the running job finish, logs `stopped` and exits with 0.
#[tokio::test]
async fn sigterm_finishes_the_request_in_flight_then_exits_cleanly() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let dir = tempfile::tempdir().unwrap();
    let (mut running, _, base, log) =
        serve_demo_logged(dir.path(), &[("LIANBAN_WORKERS__SWEEP", "* * * * * *")]);
    let addr = base.trim_start_matches("http://").to_owned();
    let body = r#"{"query":"mutation { login(username: \"scjg.window\", password: \"Lianban@2026\") { me { name } } }"}"#;
    let (head, tail) = body.split_at(10);
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    stream
        .write_all(
            format!(
                "POST /graphql HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{head}",
                body.len()
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;

    let pid = running.0.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    // New connections are refused once the server has begun to stop.
    let deadline = Instant::now() + Duration::from_secs(5);
    while tokio::net::TcpStream::connect(&addr).await.is_ok() {
        assert!(
            Instant::now() < deadline,
            "still accepting 5 s after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        running.0.try_wait().unwrap().is_none(),
        "exited with a request in flight"
    );

    // The rest of the request arrives: it is answered in full.
    stream.write_all(tail.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("王窗口"), "{response}");

    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = running.0.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "no exit 20 s after SIGTERM");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(status.code(), Some(0));
    std::thread::sleep(Duration::from_millis(200));
    let log = log.lock().unwrap();
    assert!(
        log.last().is_some_and(|l| l.contains("stopped")),
        "the last log line says it stopped: {log:?}"
    );
}

/// Every log line of a request names its id: the client's `x-request-id`, echoed back.
#[tokio::test]
async fn the_log_names_each_request_by_its_id() {
    let dir = tempfile::tempdir().unwrap();
    let (_running, _, base, log) = serve_demo_logged(dir.path(), &[]);
    let response = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .header("x-request-id", "portal-trace-4711")
        .json(&serde_json::json!({ "query": "{ matters { code } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "portal-trace-4711");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let lines = log.lock().unwrap().clone();
        if let Some(line) = lines.iter().find(|l| l.contains("portal-trace-4711")) {
            assert!(
                line.contains("operation") && line.contains("query matters"),
                "{line}"
            );
            assert!(
                line.contains("UNAUTHENTICATED"),
                "the outcome is logged: {line}"
            );
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no log line names the request: {lines:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// `lianban rotate-signing-key` beside a running server: sign-ins from then on use the new key,
/// and a token signed before keeps working until it expires.
#[tokio::test]
async fn rotating_the_signing_key_keeps_earlier_sign_ins() {
    let dir = tempfile::tempdir().unwrap();
    let (_running, _, base) = serve_demo(dir.path(), &[]);
    let me = |token: String| {
        let base = base.clone();
        async move {
            graphql(&base, Some(&token), "{ me { username } }").await["data"]["me"]["username"]
                .as_str()
                .map(str::to_owned)
        }
    };
    let kid = |token: &str| jsonwebtoken::decode_header(token).unwrap().kid.unwrap();
    let rotate = |secret: Option<&str>| {
        let mut command = lianban();
        command.current_dir(dir.path()).args([
            "--config",
            shipped_config().to_str().unwrap(),
            "rotate-signing-key",
        ]);
        if let Some(secret) = secret {
            command.env("LIANBAN_JWT_SECRET", secret);
        }
        command.output().unwrap()
    };
    let before = sign_in(&base, "scjg.window").await;

    let output = rotate(None);
    assert!(output.status.success(), "{output:?}");
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(said.contains("New signing key"), "{said}");

    let after = sign_in(&base, "scjg.window").await;
    assert_ne!(
        kid(&before),
        kid(&after),
        "the running server signs with the new key"
    );
    assert!(said.contains(&kid(&after)), "{said}");
    assert_eq!(me(before).await.as_deref(), Some("scjg.window"));
    assert_eq!(me(after).await.as_deref(), Some("scjg.window"));

    // With a configured jwt_secret there is nothing of the installation's to rotate.
    let output = rotate(Some("0123456789abcdef0123456789abcdef-shared"));
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("jwt_secret"));
}

/// The attack of the report, against `serve --demo` with the shipped settings: a centre-admin
/// session signed with the secret an earlier `lianban.toml` published is refused.
#[tokio::test]
async fn a_session_signed_with_the_once_published_secret_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (_running, _, base) = serve_demo(dir.path(), &[]);
    let genuine = sign_in(&base, "admin").await;
    let admin = graphql(&base, Some(&genuine), "{ me { id } }").await["data"]["me"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let now = {
        use lianban_engine::Clock as _;
        lianban_engine::SystemClock.now().timestamp()
    };
    let key = jsonwebtoken::EncodingKey::from_secret(
        b"development-only-secret-change-me-for-production-use",
    );
    for claims in [
        serde_json::json!({ "sub": admin, "exp": now + 3600 }),
        serde_json::json!({ "sub": admin, "iat": now, "exp": now + 3600, "iss": "http://127.0.0.1:8080", "aud": "lianban-api" }),
    ] {
        let forged = jsonwebtoken::encode(&jsonwebtoken::Header::default(), &claims, &key).unwrap();
        let answer = graphql(&base, Some(&forged), "{ me { id username } }").await;
        assert_eq!(
            answer["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
            "{answer}"
        );
        assert!(answer["data"].is_null(), "{answer}");
    }
    assert!(
        !std::fs::read_to_string(shipped_config())
            .unwrap()
            .contains("jwt_secret ="),
        "the shipped settings hold no secret"
    );
}
