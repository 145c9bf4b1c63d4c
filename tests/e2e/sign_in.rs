//! Guessing passwords, tried the ways an attacker would: many guesses at once, from one address
//! and from many, and from behind the centre's own NAT. Each attempt is counted before its
//! password is checked; the account keeps working from where it signs in every day. Clients are
//! told apart by the address the trusted proxy (127.0.0.1 in these tests) puts in
//! `X-Forwarded-For`.

use crate::support::{Db, Mail, TestApp, code, spawn_app_configured};
use futures_util::future::join_all;
use lianban_engine::demo::DEMO_PASSWORD;
use serde_json::{Value, json};

const LOGIN: &str =
    "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }";

/// Signs in as `username` with `password` from `address`; the whole answer.
async fn attempt(app: &TestApp, address: &str, username: &str, password: &str) -> Value {
    app.post_from(
        address,
        None,
        LOGIN,
        json!({ "u": username, "p": password }),
    )
    .await
}

/// Seconds the answer says to wait (`None`: the password was checked).
fn wait_of(answer: &Value) -> Option<i64> {
    answer["errors"][0]["extensions"]["retryAfterSeconds"].as_i64()
}

fn signed_in(answer: &Value) -> bool {
    answer["data"]["login"]["token"].is_string()
}

on_both_databases! {
    async fn guesses_sent_at_once_are_counted_before_any_password_is_checked(app: TestApp) {
        let attacker = "203.0.113.66";
        let guesses = (0..60).map(|i| attempt(&app, attacker, "admin", if i % 2 == 0 { "guess" } else { "Guess" }));
        let answers = join_all(guesses).await;
        let checked = answers.iter().filter(|a| wait_of(a).is_none()).count();
        let held = answers.iter().filter(|a| wait_of(a).is_some()).count();
        assert_eq!((checked, held), (5, 55), "five passwords were checked, the rest waited");
        // The right password from there, sent next, waits too.
        let right = attempt(&app, attacker, "admin", DEMO_PASSWORD).await;
        assert_eq!(code(&right["errors"][0]), "UNAUTHENTICATED");
        assert!(wait_of(&right).is_some_and(|s| s >= 1), "{right}");
        // Sequentially, exactly five.
        let mut checked = 0;
        for _ in 0..20 {
            if wait_of(&attempt(&app, "203.0.113.67", "xfjy.a", "guess").await).is_none() {
                checked += 1;
            }
        }
        assert_eq!(checked, 5);
    }

    async fn nobody_can_lock_an_account_out_of_the_office_it_signs_in_from(app: TestApp) {
        let office = "198.51.100.7";
        assert!(signed_in(&attempt(&app, office, "admin", DEMO_PASSWORD).await), "Monday morning, as every day");
        // Someone guesses the admin's password from one address, then from thirty.
        for _ in 0..30 {
            attempt(&app, "203.0.113.66", "admin", "guess").await;
        }
        for host in 1..=30 {
            for _ in 0..5 {
                attempt(&app, &format!("192.0.2.{host}"), "admin", "guess").await;
            }
        }
        // The admin still signs in from the office at once.
        let answer = attempt(&app, office, "admin", DEMO_PASSWORD).await;
        assert!(signed_in(&answer), "{answer}");
        // From an address the account never used, the wait is a minute at most.
        let elsewhere = attempt(&app, "198.51.100.99", "admin", DEMO_PASSWORD).await;
        let wait = wait_of(&elsewhere).expect("held at a new address while the guessing goes on");
        assert!((1..=60).contains(&wait), "waits {wait} s");
        app.clock.advance(chrono::Duration::seconds(wait));
        assert!(signed_in(&attempt(&app, "198.51.100.99", "admin", DEMO_PASSWORD).await));
    }

    async fn a_centre_behind_one_address_keeps_signing_in_while_someone_guesses_from_it(app: TestApp) {
        let nat = "198.51.100.1";
        for username in ["scjg.window", "xfjy.a"] {
            assert!(signed_in(&attempt(&app, nat, username, DEMO_PASSWORD).await));
        }
        // Someone behind the same address tries sixty accounts.
        for i in 0..60 {
            attempt(&app, nat, &format!("guess{i}"), "guess").await;
        }
        // Those who signed in from here before are not held.
        for username in ["scjg.window", "xfjy.a"] {
            let answer = attempt(&app, nat, username, DEMO_PASSWORD).await;
            assert!(signed_in(&answer), "{username}: {answer}");
        }
        // A colleague signing in from here for the first time waits a minute at most.
        let first_time = attempt(&app, nat, "sthj.a", DEMO_PASSWORD).await;
        let wait = wait_of(&first_time).expect("held while the address guesses");
        assert!((1..=60).contains(&wait), "waits {wait} s");
    }
}

async fn forwarded_for_is_ignored_without_a_trusted_proxy(db: Db) {
    let app = spawn_app_configured(
        db,
        Mail::Memory,
        json!({ "http": { "trusted_proxies": [] } }),
    )
    .await;
    // Each guess claims another address; all are counted under the connection's own.
    let mut checked = 0;
    for i in 0..10 {
        if wait_of(&attempt(&app, &format!("203.0.113.{i}"), "xfjy.a", "guess").await).is_none() {
            checked += 1;
        }
    }
    assert_eq!(checked, 5, "the header chose nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_cannot_choose_the_address_it_is_counted_under_sqlite() {
    forwarded_for_is_ignored_without_a_trusted_proxy(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_cannot_choose_the_address_it_is_counted_under_postgres() {
    forwarded_for_is_ignored_without_a_trusted_proxy(Db::Postgres).await;
}
