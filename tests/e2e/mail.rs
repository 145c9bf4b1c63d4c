//! Mail leaves through the outbox: an SMTP server that is down delays it and loses none; STARTTLS
//! and implicit TLS with a login, trusting the centre's own CA; a message that keeps failing is
//! marked failed, shown to the centre admin and can be resent;
//! `/metrics` counts it all; leaders get a morning digest on working days; a message that can
//! never render (an unknown template, a payload not the template's) fails at once.

use crate::support::smtp::SmtpSink;
use crate::support::{Mail, code, flows, monday_nine, spawn_app_with};
use chrono::{DateTime, Duration, TimeZone, Utc};
use lianban_entity::{OutboxStatus, outbox};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde_json::json;
use std::path::PathBuf;

fn at(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, hour, minute, 0)
        .unwrap()
        - Duration::hours(8)
}

const OUTBOX: &str = "query($s: OutboxStatus!) { outboxMessages(status: $s, first: 100) { nodes { id recipient template attempts lastError status } } }";

async fn smtp_down_then_up(db: crate::support::Db) {
    let mut sink = SmtpSink::stopped();
    let app = spawn_app_with(db, Mail::Smtp(sink.port)).await;
    flows::joint_case_in_review(&app).await; // 3 task messages + 1 to the first responder
    let now = monday_nine();
    let first = app.workers.send(now).await.unwrap();
    assert_eq!((first.sent, first.failed), (0, 4), "the server is down");
    let admin = app.login("admin").await;
    let waiting = app
        .ok(Some(&admin), OUTBOX, json!({ "s": "PENDING" }))
        .await;
    let waiting = waiting["outboxMessages"]["nodes"].as_array().unwrap();
    assert_eq!(waiting.len(), 4);
    assert!(
        waiting
            .iter()
            .all(|m| m["attempts"] == 1 && m["lastError"].is_string())
    );
    let early = app.workers.send(now + Duration::seconds(10)).await.unwrap();
    assert_eq!(early.failed, 0, "nothing is retried before its backoff");

    sink.resume();
    let later = app.workers.send(now + Duration::seconds(31)).await.unwrap();
    assert_eq!((later.sent, later.failed), (4, 0));
    assert_eq!(
        app.workers
            .send(now + Duration::minutes(5))
            .await
            .unwrap()
            .sent,
        0
    );
    let received = sink.received();
    assert_eq!(received.len(), 4, "none lost, none twice");
    let mut to: Vec<String> = received.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    assert_eq!(
        to,
        [
            "scjg.window@lianban.example",
            "sthj.a@lianban.example",
            "wsjk.a@lianban.example",
            "xfjy.a@lianban.example"
        ]
    );
    let sent = app.ok(Some(&admin), OUTBOX, json!({ "s": "SENT" })).await;
    assert_eq!(sent["outboxMessages"]["nodes"].as_array().unwrap().len(), 4);
}

async fn keeps_failing(db: crate::support::Db) {
    let mut sink = SmtpSink::stopped();
    let app = spawn_app_with(db, Mail::Smtp(sink.port)).await;
    flows::joint_case_in_review(&app).await;
    let mut now = monday_nine();
    let mut given_up = 0;
    for _ in 0..8 {
        given_up += app.workers.send(now).await.unwrap().given_up;
        now += Duration::hours(2);
    }
    assert_eq!(given_up, 4, "eight attempts each, then failed");
    app.clock.set(now);
    let admin = app.login("admin").await;
    let failed = app.ok(Some(&admin), OUTBOX, json!({ "s": "FAILED" })).await;
    let failed = failed["outboxMessages"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(failed.len(), 4);
    assert!(failed.iter().all(|m| m["attempts"] == 8));
    let reviewer = app.login("xfjy.a").await;
    assert_eq!(
        code(
            &app.fails(Some(&reviewer), OUTBOX, json!({ "s": "FAILED" }))
                .await
        ),
        "FORBIDDEN"
    );

    sink.resume();
    let resend = "mutation($id: ID!) { resendMessage(id: $id) { status attempts } }";
    let again = app
        .ok(Some(&admin), resend, json!({ "id": failed[0]["id"] }))
        .await;
    assert_eq!(
        again["resendMessage"],
        json!({ "status": "PENDING", "attempts": 0 })
    );
    assert_eq!(
        code(
            &app.fails(Some(&admin), resend, json!({ "id": failed[0]["id"] }))
                .await
        ),
        "INVALID_STATE"
    );
    assert_eq!(app.workers.send(now).await.unwrap().sent, 1);
    assert_eq!(sink.received().len(), 1);
}

/// A certificate authority and a server certificate for `localhost` signed by it (PEM), made
/// with the openssl command line: `(ca, cert, key)`.
fn localhost_certificate(dir: &std::path::Path) -> (PathBuf, PathBuf, PathBuf) {
    let file = |name: &str| dir.join(name);
    let openssl = |args: &[&str]| {
        let made = std::process::Command::new("openssl")
            .current_dir(dir)
            .args(args)
            .output()
            .expect("openssl (scripts/services installs it)");
        assert!(
            made.status.success(),
            "{}",
            String::from_utf8_lossy(&made.stderr)
        );
    };
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=Lianban Test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
    ]);
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=localhost",
        "-keyout",
        "key.pem",
        "-out",
        "leaf.csr",
    ]);
    std::fs::write(
        file("leaf.ext"),
        "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(&[
        "x509",
        "-req",
        "-in",
        "leaf.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "leaf.ext",
        "-out",
        "cert.pem",
    ]);
    (file("ca.pem"), file("cert.pem"), file("key.pem"))
}

/// STARTTLS (or implicit TLS) with the centre's own CA and a login: mail arrives encrypted and
/// authenticated; a wrong password keeps it waiting with the server's refusal as its last error.
async fn over_tls_with_a_login(db: crate::support::Db, implicit: bool) {
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = localhost_certificate(dir.path());
    let sink = SmtpSink::start_secure(&cert, &key, "lianban", "s3cret", implicit);
    let mail = |password: &str| Mail::Secure {
        port: sink.port,
        ca: ca.clone(),
        user: "lianban".to_owned(),
        password: password.to_owned(),
        implicit,
    };
    let app = spawn_app_with(db, mail("wrong")).await;
    flows::joint_case_in_review(&app).await;
    let refused = app.workers.send(monday_nine()).await.unwrap();
    assert_eq!(
        (refused.sent, refused.failed),
        (0, 4),
        "a wrong password delivers nothing"
    );
    let admin = app.login("admin").await;
    let waiting = app
        .ok(Some(&admin), OUTBOX, json!({ "s": "PENDING" }))
        .await;
    assert!(
        waiting["outboxMessages"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["lastError"].is_string())
    );
    assert!(sink.received().is_empty());
    drop(app);

    let app = spawn_app_with(db, mail("s3cret")).await;
    flows::joint_case_in_review(&app).await;
    let sent = app.workers.send(monday_nine()).await.unwrap();
    assert_eq!((sent.sent, sent.failed), (4, 0));
    let received = sink.received();
    assert_eq!(received.len(), 4);
    assert!(
        received.iter().all(|m| m.tls && m.authenticated),
        "{received:?}"
    );
    assert!(received.iter().any(|m| m.subject.contains("新协办任务")));
}

/// A row as a deployed database may hold it: a template key and payload the sender cannot read.
async fn queue_raw(
    app: &crate::support::TestApp,
    id: &str,
    template: &str,
    payload: serde_json::Value,
) {
    outbox::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        event_seq: Set(None),
        message_id: Set(id.to_owned()),
        recipient_id: Set(None),
        recipient_email: Set("admin@lianban.example".to_owned()),
        template: Set(template.to_owned()),
        payload: Set(payload),
        status: Set(OutboxStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(monday_nine()),
        last_error: Set(None),
        created_at: Set(monday_nine()),
        sent_at: Set(None),
    }
    .insert(app.engine.db())
    .await
    .unwrap();
}

on_both_databases! {
    async fn a_message_that_cannot_be_read_fails_at_once_naming_its_template_and_the_error(app: TestApp) {
        flows::joint_case_in_review(&app).await; // 4 messages that send
        queue_raw(&app, "stray-1", "task_vanished", json!({ "caseId": null })).await;
        queue_raw(&app, "stray-2", "task_assigned", json!({ "caseId": "not-a-uuid", "taskId": null })).await;
        let now = monday_nine();
        let first = app.workers.send(now).await.unwrap();
        assert_eq!((first.sent, first.failed, first.given_up), (4, 2, 2), "{first:?}");
        let admin = app.login("admin").await;
        let failed = app.ok(Some(&admin), OUTBOX, json!({ "s": "FAILED" })).await;
        let mut failed = failed["outboxMessages"]["nodes"].as_array().unwrap().clone();
        failed.sort_by_key(|m| m["template"].as_str().unwrap().to_owned());
        assert_eq!(failed.len(), 2, "{failed:?}");
        assert!(failed.iter().all(|m| m["attempts"] == 1), "one attempt, no retries: {failed:?}");
        let error = |i: usize| failed[i]["lastError"].as_str().unwrap().to_owned();
        assert_eq!(failed[0]["template"], "task_assigned");
        assert!(error(0).starts_with("the payload of mail template `task_assigned` does not decode: "), "{}", error(0));
        assert_eq!(failed[1]["template"], "task_vanished");
        assert_eq!(error(1), "unknown mail template `task_vanished`");
        // Nothing generic went out for them, and they are not tried again.
        let sent = app.workers.mailer.sent();
        assert_eq!(sent.len(), 4);
        assert!(sent.iter().all(|m| !m.message_id.contains("stray")), "{sent:?}");
        let later = app.workers.send(now + Duration::hours(2)).await.unwrap();
        assert_eq!((later.sent, later.failed), (0, 0));
        let text = app.metrics().await;
        assert!(text.lines().any(|l| l == "lianban_messages_given_up_total 2"), "{text}");
    }

    async fn an_smtp_server_that_is_down_delays_mail_and_loses_none(app: TestApp) {
        let db = app.db;
        drop(app);
        smtp_down_then_up(db).await;
    }

    async fn mail_goes_over_starttls_with_a_login_and_a_wrong_password_delivers_nothing(app: TestApp) {
        let db = app.db;
        drop(app);
        over_tls_with_a_login(db, false).await;
    }

    async fn mail_goes_over_implicit_tls_with_a_login_and_a_wrong_password_delivers_nothing(app: TestApp) {
        let db = app.db;
        drop(app);
        over_tls_with_a_login(db, true).await;
    }

    async fn a_message_that_keeps_failing_is_marked_failed_shown_and_can_be_resent(app: TestApp) {
        let db = app.db;
        drop(app);
        keeps_failing(db).await;
    }

    async fn metrics_count_sweeps_steps_and_messages(app: TestApp) {
        flows::joint_case_in_review(&app).await;
        let now = at(11, 27, 18, 1);
        app.clock.set(now);
        app.workers.tick(now).await.unwrap();
        let text = app.metrics().await;
        for line in [
            "lianban_sweep_runs_total 1",
            "lianban_sweep_clocks_examined_total 3",
            "lianban_rungs_fired_total{kind=\"reminder\"} 3",
            "lianban_messages_sent_total 7",
            "lianban_messages_failed_total 0",
            "lianban_messages_pending 0",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} in\n{text}");
        }
        assert!(text.contains("lianban_sweep_duration_seconds_count 1"));
    }

    async fn leaders_get_a_morning_digest_of_every_red_item_on_working_days(app: TestApp) {
        let (_, _, number, _) = flows::joint_case_in_review(&app).await;
        app.clock.set(at(12, 4, 18, 1));
        app.workers.tick(at(12, 4, 18, 1)).await.unwrap(); // the three tasks are at 红牌 by now
        assert_eq!(app.workers.digest(at(12, 5, 8, 30)).await.unwrap(), 0, "Saturday: no digest");
        assert_eq!(app.workers.digest(at(12, 7, 8, 30)).await.unwrap(), 1, "Monday: one for the one leader");
        assert_eq!(app.workers.digest(at(12, 7, 8, 31)).await.unwrap(), 0, "once a day");
        app.workers.send(at(12, 7, 8, 31)).await.unwrap();
        let digest = app.workers.mailer.sent().into_iter().find(|m| m.subject.contains("晨报")).unwrap();
        assert_eq!(digest.to, "leader@lianban.example");
        assert_eq!(digest.subject, "【联办·晨报】2026年12月07日 红灯事项3件");
        for department in ["消防救援大队（1件）", "生态环境局（1件）", "卫生健康局（1件）"] {
            assert!(digest.text.contains(department), "{department} in {}", digest.text);
        }
        assert!(digest.text.contains(&format!("· {number} 餐饮店开业（一件事），期限2026年11月30日 18:00，红牌")), "{}", digest.text);
    }
}
