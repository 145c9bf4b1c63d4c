//! Accounts, tried as staff and their centre admin would: signing out, changing one's own
//! password, an admin's reset by a mailed link (arriving at a real SMTP server) or by a
//! temporary password, ending someone's sessions, and the sign-in log.

use crate::support::smtp::SmtpSink;
use crate::support::{Db, Mail, TestApp, code, flows, spawn_app_with};
use lianban_engine::demo::DEMO_PASSWORD;
use serde_json::{Value, json};

const LOGIN: &str = "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token mustChangePassword } }";
const ME: &str = "{ me { username } }";
const CHANGE: &str =
    "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }";
const NEW_PASSWORD: &str = "梧桐细雨听风眠入梦来";

async fn sign_in(app: &TestApp, username: &str, password: &str) -> Value {
    app.post(None, LOGIN, json!({ "u": username, "p": password }))
        .await
}

fn token_of(answer: &Value) -> String {
    answer["data"]["login"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("not signed in: {answer}"))
        .to_owned()
}

async fn refused(app: &TestApp, token: &str, query: &str) -> String {
    let answer = app.post(Some(token), query, json!({})).await;
    code(&answer["errors"][0]).to_owned()
}

/// The secret of the password link in a mail's text.
fn link_secret(text: &str) -> String {
    let start = text.find("/password#").expect("a password link") + "/password#".len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

on_both_databases! {
    async fn signing_out_stops_the_token_at_once_and_only_that_one(app: TestApp) {
        let first = app.login("scjg.window").await;
        let second = app.login("scjg.window").await;
        assert_eq!(app.ok(Some(&first), ME, json!({})).await["me"]["username"], "scjg.window");
        assert_eq!(app.ok(Some(&first), "mutation { logout }", json!({})).await["logout"], true);
        assert_eq!(refused(&app, &first, ME).await, "UNAUTHENTICATED");
        assert_eq!(refused(&app, &first, "mutation { logout }").await, "UNAUTHENTICATED");
        assert_eq!(app.ok(Some(&second), ME, json!({})).await["me"]["username"], "scjg.window", "the other device stays signed in");
    }

    async fn an_admin_ends_every_session_of_a_person(app: TestApp) {
        let phone = app.login("xfjy.a").await;
        let desk = app.login("xfjy.a").await;
        let id = flows::staff_id(&app, "xfjy.a").await;
        let head = app.login("xfjy.head").await;
        let end = "mutation($s: ID!) { endSessions(staffId: $s) }";
        let denied = app.post(Some(&head), end, json!({ "s": id })).await;
        assert_eq!(code(&denied["errors"][0]), "FORBIDDEN");
        let admin = app.login("admin").await;
        assert_eq!(app.ok(Some(&admin), end, json!({ "s": id })).await["endSessions"], 2);
        for token in [&phone, &desk] {
            assert_eq!(refused(&app, token, ME).await, "UNAUTHENTICATED");
        }
        // Signing in again works: ending sessions is not deactivation.
        token_of(&sign_in(&app, "xfjy.a", DEMO_PASSWORD).await);
    }

    async fn a_person_changes_their_own_password(app: TestApp) {
        let here = app.login("scjg.a").await;
        let elsewhere = app.login("scjg.a").await;
        let wrong = app.post(Some(&here), CHANGE, json!({ "c": "not-it", "n": NEW_PASSWORD })).await;
        assert_eq!(code(&wrong["errors"][0]), "UNAUTHENTICATED");
        for (weak, why) in [("short1", "too short"), ("password123", "too common"), ("scjg.a-2026-pw", "has the username")] {
            let answer = app.post(Some(&here), CHANGE, json!({ "c": DEMO_PASSWORD, "n": weak })).await;
            assert_eq!(code(&answer["errors"][0]), "INVALID_INPUT", "{why}: {answer}");
            assert_eq!(answer["errors"][0]["extensions"]["field"], "newPassword");
        }
        let same = app.post(Some(&here), CHANGE, json!({ "c": DEMO_PASSWORD, "n": DEMO_PASSWORD })).await;
        assert_eq!(code(&same["errors"][0]), "INVALID_INPUT", "{same}");
        assert_eq!(app.ok(Some(&here), CHANGE, json!({ "c": DEMO_PASSWORD, "n": NEW_PASSWORD })).await["changePassword"], true);
        assert_eq!(app.ok(Some(&here), ME, json!({})).await["me"]["username"], "scjg.a", "this sign-in goes on");
        assert_eq!(refused(&app, &elsewhere, ME).await, "UNAUTHENTICATED", "every other one ends");
        let old = sign_in(&app, "scjg.a", DEMO_PASSWORD).await;
        assert_eq!(code(&old["errors"][0]), "UNAUTHENTICATED");
        token_of(&sign_in(&app, "scjg.a", NEW_PASSWORD).await);
    }

    async fn a_temporary_password_opens_nothing_but_the_password_change(app: TestApp) {
        let before = app.login("wsjk.a").await;
        let admin = app.login("admin").await;
        let id = flows::staff_id(&app, "wsjk.a").await;
        let reset = app.ok(Some(&admin), "mutation($s: ID!) { resetPassword(staffId: $s, method: TEMPORARY) { temporaryPassword linkExpiresAt } }", json!({ "s": id })).await;
        let temporary = reset["resetPassword"]["temporaryPassword"].as_str().unwrap().to_owned();
        assert!(reset["resetPassword"]["linkExpiresAt"].is_null());
        assert_eq!(refused(&app, &before, ME).await, "UNAUTHENTICATED", "a reset ends the person's sessions");
        let answer = sign_in(&app, "wsjk.a", &temporary).await;
        assert_eq!(answer["data"]["login"]["mustChangePassword"], true);
        let token = token_of(&answer);
        assert_eq!(refused(&app, &token, "{ myTasks { totalCount } }").await, "FORBIDDEN");
        assert_eq!(app.ok(Some(&token), CHANGE, json!({ "c": temporary, "n": NEW_PASSWORD })).await["changePassword"], true);
        app.ok(Some(&token), "{ myTasks { totalCount } }", json!({})).await;
        let again = sign_in(&app, "wsjk.a", NEW_PASSWORD).await;
        assert_eq!(again["data"]["login"]["mustChangePassword"], false);
    }

    async fn the_sign_in_log_shows_who_when_from_where_and_how_it_ended(app: TestApp) {
        app.post_from("198.51.100.20", None, LOGIN, json!({ "u": "sthj.a", "p": "wrong-one" })).await;
        app.post_from("198.51.100.21", None, LOGIN, json!({ "u": "nobody.here", "p": "whatever" })).await;
        app.post_from("198.51.100.22", None, LOGIN, json!({ "u": "sthj.a", "p": DEMO_PASSWORD })).await;
        let admin = app.login("admin").await;
        let log = app.ok(Some(&admin), "{ signIns(first: 10) { totalCount nodes { username address method outcome staffId at } } }", json!({})).await;
        let nodes = log["signIns"]["nodes"].as_array().unwrap();
        let line = |address: &str| nodes.iter().find(|n| n["address"] == address).cloned().unwrap_or_else(|| panic!("{address}: {log}"));
        assert_eq!(line("198.51.100.20")["outcome"], "WRONG_PASSWORD");
        assert!(line("198.51.100.20")["staffId"].is_string());
        assert_eq!(line("198.51.100.21")["outcome"], "UNKNOWN_ACCOUNT");
        assert_eq!(line("198.51.100.21")["username"], "nobody.here");
        assert_eq!(line("198.51.100.22")["outcome"], "SIGNED_IN");
        assert_eq!(line("198.51.100.22")["method"], "PASSWORD");
        assert_eq!(nodes[0]["username"], "admin", "newest first");
        let failures = app.ok(Some(&admin), "{ signIns(failuresOnly: true) { nodes { outcome } } }", json!({})).await;
        assert!(failures["signIns"]["nodes"].as_array().unwrap().iter().all(|n| n["outcome"] != "SIGNED_IN"));
        let window = app.login("scjg.window").await;
        assert_eq!(refused(&app, &window, "{ signIns { totalCount } }").await, "FORBIDDEN");
    }
}

async fn a_reset_link_arrives_by_mail_and_works_once(db: Db) {
    let sink = SmtpSink::start();
    let app = spawn_app_with(db, Mail::Smtp(sink.port)).await;
    let before = app.login("csgl.a").await;
    let admin = app.login("admin").await;
    let id = flows::staff_id(&app, "csgl.a").await;
    let reset = app.ok(Some(&admin), "mutation($s: ID!) { resetPassword(staffId: $s, method: LINK) { temporaryPassword linkExpiresAt } }", json!({ "s": id })).await;
    assert!(reset["resetPassword"]["linkExpiresAt"].is_string());
    assert_eq!(
        app.ok(Some(&before), ME, json!({})).await["me"]["username"],
        "csgl.a",
        "the old password works until the link is used"
    );
    app.workers.send(app.clock_now()).await.unwrap();
    let mail = sink
        .received()
        .into_iter()
        .find(|m| m.to.iter().any(|t| t == "csgl.a@lianban.example"))
        .expect("the link arrived");
    assert!(mail.subject.contains("重置登录密码"), "{}", mail.subject);
    let secret = link_secret(&mail.text);
    assert_eq!(secret.len(), 43, "{}", mail.text);
    assert!(mail.html.contains(&secret));
    let set = "mutation($t: String!, $n: String!) { setPasswordFromLink(token: $t, newPassword: $n) { username } }";
    let weak = app
        .post(None, set, json!({ "t": secret, "n": "12345678901" }))
        .await;
    assert_eq!(
        code(&weak["errors"][0]),
        "INVALID_INPUT",
        "a weak password does not use the link up"
    );
    let used = app
        .ok(None, set, json!({ "t": secret, "n": NEW_PASSWORD }))
        .await;
    assert_eq!(used["setPasswordFromLink"]["username"], "csgl.a");
    let again = app
        .post(
            None,
            set,
            json!({ "t": secret, "n": "另一句足够长的密码短语" }),
        )
        .await;
    assert_eq!(code(&again["errors"][0]), "INVALID_STATE", "once only");
    assert_eq!(
        refused(&app, &before, ME).await,
        "UNAUTHENTICATED",
        "earlier sign-ins end"
    );
    token_of(&sign_in(&app, "csgl.a", NEW_PASSWORD).await);
    let forged = app
        .post(None, set, json!({ "t": "x".repeat(43), "n": NEW_PASSWORD }))
        .await;
    assert_eq!(code(&forged["errors"][0]), "INVALID_STATE");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_link_arrives_by_mail_and_works_once_sqlite() {
    a_reset_link_arrives_by_mail_and_works_once(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_link_arrives_by_mail_and_works_once_postgres() {
    a_reset_link_arrives_by_mail_and_works_once(Db::Postgres).await;
}
