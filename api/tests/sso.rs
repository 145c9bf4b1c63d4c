//! Single sign-on against a real OpenID Connect provider: `oidc-provider` from npm (the
//! certified implementation, `clients/browser/oidc-provider.mjs`) with its own login and consent
//! pages, and the real binary; Chromium signs in through the provider's pages
//! (`clients/browser/sso.mjs`). A linked identity signs in; one linked to nobody is refused (no
//! account is made silently); a deactivated account is refused after the provider vouched for
//! it; each is in the sign-in log. Then password sign-in is switched off, and single sign-on
//! still works.
//!
//! Needs Node.js, `clients/browser/node_modules` (`npm ci`) and Chromium; `scripts/services`
//! installs them. Without them the test fails, never skips.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic: that is how they fail

mod support;

use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use support::{Running, serve_demo, sign_in};

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn post(base: &str, token: &str, query: &str, variables: Value) -> Value {
    let body: Value = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(body.get("errors").is_none(), "{body}");
    body["data"].clone()
}

/// Links `username` to the identity `subject` (and returns their id and new version).
async fn link(base: &str, admin: &str, username: &str, subject: &str) -> (Value, Value) {
    let all = post(
        base,
        admin,
        "{ staffMembers { id username name email version roles department { id } } }",
        json!({}),
    )
    .await;
    let person = all["staffMembers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["username"] == username)
        .unwrap()
        .clone();
    let saved = post(base, admin, "mutation($i: StaffInput!) { saveStaff(input: $i) { staff { id version } } }", json!({ "i": {
        "id": person["id"], "expectedVersion": person["version"], "username": username, "name": person["name"],
        "email": person["email"], "departmentId": person["department"]["id"], "roles": person["roles"], "ssoSubject": subject,
    } })).await;
    (
        saved["saveStaff"]["staff"]["id"].clone(),
        saved["saveStaff"]["staff"]["version"].clone(),
    )
}

fn browser(base: &str, mode: Option<&str>) -> String {
    let mut command = Command::new("node");
    command
        .arg(repository().join("clients/browser/sso.mjs"))
        .arg(base);
    if let Some(mode) = mode {
        command.arg(mode);
    }
    let output = command
        .output()
        .expect("node (Node.js) runs the browser script");
    let said = String::from_utf8_lossy(&output.stdout).into_owned();
    let why = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the browser script failed:\n{said}\n{why}"
    );
    said
}

async fn sign_in_through_the_platform(postgres: bool) {
    let (port, provider_port) = (free_port(), free_port());
    let base = format!("http://127.0.0.1:{port}");
    let issuer = format!("http://127.0.0.1:{provider_port}");
    let mut provider = Command::new("node")
        .arg(repository().join("clients/browser/oidc-provider.mjs"))
        .arg(provider_port.to_string())
        .arg(format!("{base}/auth/sso/callback"))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("node (Node.js) runs the provider");
    let ready = BufReader::new(provider.stdout.take().unwrap())
        .lines()
        .next()
        .unwrap()
        .unwrap();
    assert!(ready.contains("listening"), "{ready}");
    let _provider = Running(provider);

    let dir = tempfile::tempdir().unwrap();
    let bind = format!("127.0.0.1:{port}");
    let schema = format!("sso_{}", uuid::Uuid::now_v7().simple());
    let pg = std::env::var("LIANBAN_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let env = |password: &'static str| {
        let mut env = vec![
            ("LIANBAN_BIND", bind.clone()),
            ("LIANBAN_BASE_URL", base.clone()),
            ("LIANBAN_SSO__ISSUER_URL", issuer.clone()),
            (
                "LIANBAN_SSO__CLIENT_SECRET",
                "lianban-test-secret".to_owned(),
            ),
            ("LIANBAN_SIGN_IN__PASSWORD", password.to_owned()),
        ];
        if postgres {
            env.push(("LIANBAN_DATABASE_URL", pg.clone()));
            env.push(("LIANBAN_DATABASE_SCHEMA", schema.clone()));
        }
        env
    };
    let owned = env("true");
    let borrowed: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (server, _, served) = serve_demo(dir.path(), &borrowed);
    assert_eq!(served, base);
    let admin = sign_in(&base, "admin").await;
    let installation = post(
        &base,
        &admin,
        "{ installation { passwordSignIn singleSignOn } }",
        json!({}),
    )
    .await;
    assert_eq!(
        installation["installation"]["singleSignOn"],
        "统一身份认证登录"
    );
    link(&base, &admin, "xfjy.a", "E1001").await;
    let (b, version) = link(&base, &admin, "xfjy.b", "E1002").await;
    post(
        &base,
        &admin,
        "mutation($id: ID!, $v: Int!) { deactivateStaff(id: $id, expectedVersion: $v) { active } }",
        json!({ "id": b, "v": version }),
    )
    .await;

    let said = browser(&base, None);
    for step in [
        "sso: E1001 signed in as 刘消防",
        "sso: an identity linked to nobody is refused",
        "sso: a deactivated account is refused after the provider vouched for it",
        "sso: a forged return page signs nobody in",
    ] {
        assert!(said.contains(step), "missing step `{step}` in:\n{said}");
    }
    let log = post(
        &base,
        &admin,
        "{ signIns(first: 20) { nodes { username method outcome } } }",
        json!({}),
    )
    .await;
    let sso: Vec<(String, String)> = log["signIns"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["method"] == "SSO")
        .map(|n| {
            (
                n["username"].as_str().unwrap().to_owned(),
                n["outcome"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for expected in [
        ("xfjy.a", "SIGNED_IN"),
        ("NOBODY", "UNKNOWN_ACCOUNT"),
        ("E1002", "DEACTIVATED"),
    ] {
        assert!(
            sso.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{expected:?} in {sso:?}"
        );
    }
    drop(server);

    // Password sign-in off: the form is gone, a password is refused, single sign-on works.
    let owned = env("false");
    let borrowed: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (_server, _, _) = serve_demo(dir.path(), &borrowed);
    let refused: Value = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": "mutation { login(username: \"admin\", password: \"Lianban@2026\") { token } }" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{refused}"
    );
    let said = browser(&base, Some("password-off"));
    assert!(
        said.contains("password off: the sign-in page offers only single sign-on"),
        "{said}"
    );
    assert!(said.contains("sso: E1001 signed in as 刘消防"), "{said}");
    if postgres {
        support::drop_schema(&pg, &schema).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_sign_in_through_the_unified_identity_platform_on_sqlite() {
    sign_in_through_the_platform(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_sign_in_through_the_unified_identity_platform_on_postgres() {
    sign_in_through_the_platform(true).await;
}
