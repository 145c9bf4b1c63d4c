//! A new centre's first start, through the binary as an installer would do it: `lianban serve`
//! on an empty database says how to create the first centre admin; `lianban admin create` takes
//! the password from standard input (never an argument) and refuses a weak one; the demo is
//! then refused on that database; the admin signs in.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic: that is how they fail

mod support;

use std::io::Write;
use std::process::Stdio;
use support::{Running, graphql, lianban, serve_plain, shipped_config};

/// Where each run keeps its database: an SQLite file in `dir`, or a schema of its own on the
/// test PostgreSQL.
fn database(dir: &std::path::Path, postgres: bool) -> Vec<(String, String)> {
    if postgres {
        let url = std::env::var("LIANBAN_TEST_DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
        vec![
            ("LIANBAN_DATABASE_URL".to_owned(), url),
            (
                "LIANBAN_DATABASE_SCHEMA".to_owned(),
                format!("first_{}", uuid::Uuid::now_v7().simple()),
            ),
        ]
    } else {
        vec![(
            "LIANBAN_DATABASE_URL".to_owned(),
            format!("sqlite://{}?mode=rwc", dir.join("lianban.db").display()),
        )]
    }
}

/// Starts `lianban serve` (no demo, no jobs) on the run's database.
fn serve(dir: &std::path::Path, env: &[(String, String)]) -> (Running, String, Vec<String>) {
    let mut all: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    all.push(("LIANBAN_WORKERS__ENABLED", "false"));
    serve_plain(dir, &all)
}

/// Runs `lianban admin create` with `password` on standard input.
fn admin_create(
    dir: &std::path::Path,
    env: &[(String, String)],
    password: &str,
) -> std::process::Output {
    let mut child = lianban()
        .current_dir(dir)
        .args([
            "--config",
            shipped_config().to_str().unwrap(),
            "admin",
            "create",
            "--username",
            "zhang.admin",
            "--name",
            "张管理",
            "--email",
            "zhang.admin@county.example",
            "--centre",
            "青山县政务服务中心",
        ])
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
    child.wait_with_output().unwrap()
}

async fn first_start(postgres: bool) {
    let dir = tempfile::tempdir().unwrap();
    let env = database(dir.path(), postgres);
    {
        let (_running, base, logged) = serve(dir.path(), &env);
        assert!(
            logged
                .iter()
                .any(|l| l.contains("lianban admin create --username")),
            "the log says how to begin: {logged:?}"
        );
        let state = graphql(&base, None, "{ installation { state passwordSignIn } }").await;
        assert_eq!(state["data"]["installation"]["state"], "EMPTY", "{state}");
        let page = reqwest::get(format!("{base}/"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("/assets/app.js"), "the sign-in page");
        let demo_login = graphql(
            &base,
            None,
            "mutation { login(username: \"admin\", password: \"Lianban@2026\") { token } }",
        )
        .await;
        assert_eq!(
            demo_login["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
            "no demo accounts"
        );
    }
    let weak = admin_create(dir.path(), &env, "123456789");
    assert!(!weak.status.success());
    let said = String::from_utf8_lossy(&weak.stderr);
    assert!(said.contains("password"), "{said}");
    let made = admin_create(dir.path(), &env, "青山绿水县中心管理员");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let printed = String::from_utf8_lossy(&made.stdout);
    assert!(
        printed.contains("青山县政务服务中心") && printed.contains("zhang.admin"),
        "{printed}"
    );
    let twice = admin_create(dir.path(), &env, "青山绿水县中心管理员");
    assert!(!twice.status.success(), "the username is taken");

    let demo = lianban()
        .current_dir(dir.path())
        .args(["--config", shipped_config().to_str().unwrap(), "demo"])
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .unwrap();
    assert!(
        !demo.status.success(),
        "the demo is refused on a real centre"
    );
    let said = String::from_utf8_lossy(&demo.stderr);
    assert!(
        said.contains("青山县政务服务中心") && said.contains("not the demo"),
        "{said}"
    );

    let (_running, base, logged) = serve(dir.path(), &env);
    assert!(
        !logged
            .iter()
            .any(|l| l.contains("lianban admin create --username"))
    );
    let signed = graphql(&base, None, "mutation { login(username: \"zhang.admin\", password: \"青山绿水县中心管理员\") { token me { roles department { code name } } } }").await;
    assert_eq!(
        signed["data"]["login"]["me"]["roles"],
        serde_json::json!(["CENTER_ADMIN"]),
        "{signed}"
    );
    assert_eq!(signed["data"]["login"]["me"]["department"]["code"], "ZXGLB");
    let state = graphql(&base, None, "{ installation { state } }").await;
    assert_eq!(state["data"]["installation"]["state"], "CENTRE");
    if postgres {
        support::drop_schema(&env[0].1, &env[1].1).await;
    }
}

#[tokio::test]
async fn a_new_centre_starts_from_an_empty_sqlite_file() {
    first_start(false).await;
}

#[tokio::test]
async fn a_new_centre_starts_from_an_empty_postgres_schema() {
    first_start(true).await;
}
