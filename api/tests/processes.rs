//! Several worker processes on one PostgreSQL database (SPEC §5, §9): two `lianban tick`
//! processes run every tick side by side; in the middle of a big sweep one is killed with
//! SIGKILL. After ten ticks of a fake clock: no message was sent twice, and no rung was missed.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic: that is how they fail

use chrono::{DateTime, Duration, TimeZone, Utc};
use lianban_api::{Settings, build_engine};
use lianban_engine::FakeClock;
use lianban_engine::cases::{Applicant, OpenCase};
use lianban_rules::escalation::ladder::{self, Progress};
use sea_orm::{ConnectionTrait, Database, DbBackend, QueryResult, Statement};
use serde_json::json;
use std::collections::{BTreeSet, HashMap};
use std::process::{Command, Stdio};
use std::sync::Arc;

const CASES: usize = 150;

fn postgres_url() -> String {
    std::env::var("LIANBAN_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// A Shanghai-local instant in late 2026.
fn at(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, hour, minute, 0)
        .unwrap()
        - Duration::hours(8)
}

fn tick_process(schema: &str, mail: &std::path::Path, now: DateTime<Utc>) -> std::process::Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lianban"));
    for (key, _) in std::env::vars().filter(|(k, _)| k.starts_with("LIANBAN_")) {
        command.env_remove(key);
    }
    command
        .args(["--config", "absent.toml", "tick", "--at", &now.to_rfc3339()])
        .env("LIANBAN_DATABASE_URL", postgres_url())
        .env("LIANBAN_DATABASE_SCHEMA", schema)
        .env(
            "LIANBAN_JWT_SECRET",
            "processes-test-secret-0123456789abcdef",
        )
        .env("LIANBAN_MAIL__TRANSPORT", "file")
        .env("LIANBAN_MAIL__FILE_DIR", mail)
        .env("LIANBAN_WORKERS__SWEEP_BATCH", "10")
        .env("LIANBAN_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap()
}

/// Rows of `sql` (the api package reads the database as an operator would, not by its tables'
/// types, which are the engine's business).
async fn rows(db: &impl ConnectionTrait, sql: &str) -> Vec<QueryResult> {
    db.query_all_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_worker_processes_one_killed_mid_sweep_fire_every_rung_once() {
    let schema = format!("lp_{}", uuid::Uuid::now_v7().simple());
    let mail = tempfile::tempdir().unwrap();
    let settings = Settings::from_figment(Settings::defaults_with(json!({
        "database_url": postgres_url(),
        "database_schema": schema,
        "jwt_secret": "processes-test-secret-0123456789abcdef",
    })))
    .unwrap();
    let start = at(11, 23, 9, 0);
    let engine = build_engine(&settings, Arc::new(FakeClock::new(start)))
        .await
        .unwrap();
    engine.load_demo().await.unwrap();
    let window: uuid::Uuid = rows(
        engine.db(),
        "SELECT id FROM staff WHERE username = 'scjg.window'",
    )
    .await[0]
        .try_get("", "id")
        .unwrap();
    let window = engine.actor(window).await.unwrap();
    for _ in 0..CASES {
        engine
            .open_case(
                &window,
                OpenCase {
                    matter_code: "JOINT-001".into(),
                    applicant: Applicant {
                        name: "李四".into(),
                        id_number: "110101199003071234".into(),
                        phone: "13900139000".into(),
                    },
                    first_responder_id: None,
                    accept_now: true,
                    idempotency_key: None,
                },
            )
            .await
            .unwrap();
    }

    let ticks = [
        at(11, 27, 18, 1),
        at(11, 30, 18, 1),
        at(12, 1, 8, 1),
        at(12, 1, 18, 1),
        at(12, 2, 8, 1),
        at(12, 3, 8, 1),
        at(12, 3, 18, 1),
        at(12, 4, 18, 1),
        at(12, 7, 18, 1),
        at(12, 8, 8, 1),
    ];
    let mut killed = false;
    for (i, now) in ticks.iter().enumerate() {
        let mut a = tick_process(&schema, mail.path(), *now);
        let mut b = tick_process(&schema, mail.path(), *now);
        if i == 1 {
            // The due tick is the biggest sweep (every task's deadline): kill one worker in the
            // middle of it — after some of its batches have committed, before the sweep is done.
            let escalated = || async {
                let n: i64 = rows(
                    engine.db(),
                    "SELECT count(*) AS n FROM events WHERE kind = 'ESCALATED'",
                )
                .await[0]
                    .try_get("", "n")
                    .unwrap();
                n.unsigned_abs()
            };
            let before = escalated().await;
            let due_steps = (CASES * 3) as u64;
            loop {
                let now_fired = escalated().await - before;
                if now_fired >= 30 {
                    killed = now_fired < due_steps && a.try_wait().unwrap().is_none();
                    a.kill().unwrap();
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(2)).await;
            }
        }
        a.wait().unwrap();
        assert!(b.wait().unwrap().success(), "tick {i}");
    }
    assert!(
        killed,
        "the first worker was killed while the sweep was under way"
    );

    // No rung missed, none twice: every clock's ESCALATED events are exactly the steps the
    // ladder prescribes for these ticks.
    let calendar = engine.sync_calendar().await.unwrap();
    let clocks = rows(
        engine.db(),
        "SELECT id, unit, due_at, rung, reminders FROM clocks",
    )
    .await;
    let mut expected: BTreeSet<(uuid::Uuid, String)> = BTreeSet::new();
    for c in &clocks {
        let id: uuid::Uuid = c.try_get("", "id").unwrap();
        let unit: String = c.try_get("", "unit").unwrap();
        let unit = match unit.as_str() {
            "WORKING_MINUTES" => lianban_rules::LimitUnit::WorkingMinutes,
            "NATURAL_DAYS" => lianban_rules::LimitUnit::NaturalDays,
            _ => lianban_rules::LimitUnit::WorkingDays,
        };
        let due_at: DateTime<Utc> = c.try_get("", "due_at").unwrap();
        let mut progress = Progress::default();
        for now in ticks {
            let (steps, next) =
                ladder::due_steps(&calendar, unit, due_at, progress, now, engine.ladder()).unwrap();
            expected.extend(steps.into_iter().map(|s| (id, s.key())));
            progress = next;
        }
        let stored: (i32, i32) = (
            c.try_get("", "rung").unwrap(),
            c.try_get("", "reminders").unwrap(),
        );
        assert_eq!(stored, (progress.rung, progress.reminders), "clock {id}");
    }
    let mut fired: HashMap<(uuid::Uuid, String), usize> = HashMap::new();
    for e in rows(
        engine.db(),
        "SELECT after FROM events WHERE kind = 'ESCALATED'",
    )
    .await
    {
        let after: serde_json::Value = e.try_get("", "after").unwrap();
        let key = (
            uuid::Uuid::parse_str(after["clockId"].as_str().unwrap()).unwrap(),
            after["step"].as_str().unwrap().to_owned(),
        );
        *fired.entry(key).or_default() += 1;
    }
    assert!(fired.values().all(|n| *n == 1), "a step fired twice");
    assert_eq!(
        fired.keys().cloned().collect::<BTreeSet<_>>(),
        expected,
        "a step missing or extra"
    );
    assert!(
        expected.len() > CASES * 3 * 5,
        "the ticks walked the ladder: {} steps",
        expected.len()
    );

    // No message sent twice, none lost: one .eml file per outbox message, every one sent.
    let rows = rows(engine.db(), "SELECT status FROM outbox").await;
    assert!(
        rows.iter()
            .all(|m| m.try_get::<String>("", "status").unwrap() == "SENT"),
        "every message sent"
    );
    let mut seen: HashMap<String, usize> = HashMap::new();
    for entry in std::fs::read_dir(mail.path()).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let id = text
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("message-id:"))
            .unwrap()
            .to_owned();
        *seen.entry(id).or_default() += 1;
    }
    assert!(
        seen.values().all(|n| *n == 1),
        "a message was delivered twice"
    );
    assert_eq!(seen.len(), rows.len(), "one delivery per message");

    let admin = Database::connect(postgres_url()).await.unwrap();
    admin
        .execute_unprepared(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .await
        .unwrap();
}
