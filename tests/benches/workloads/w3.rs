//! W3 — the deadline sweep with 1,000,000 open tasks (and 4,000,000 closed ones) on PostgreSQL,
//! due times spread over 30 days: a tick that finds about 5,000 due tasks handles them at a rate
//! of at least 20,000 per second, and with 100,000 open tasks the same tick costs about the same.
//! A tick is what the scheduled `sweep` job runs ([`Workers::sweep_all`]): the deadline sweep, the
//! boards' tallies folded, the follow-ups, the appointments, the sign-in counters, the duty gaps.
//! Run only when named: `cargo bench -p lianban-tests --bench workloads -- w3` (it writes ~4 GB;
//! `LIANBAN_BENCH_KEEP=1` keeps the schema afterwards for EXPLAIN).

use crate::setup::{self, Backend, MATTER};
use chrono::{DateTime, Duration, Utc};
use lianban_engine::Engine;
use lianban_entity::{matter, post, staff};
use lianban_workers::mail::TemplateContext;
use lianban_workers::{Mailer, MailerConfig, Metrics, TransportConfig, WorkerSettings, Workers};
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Statement};
use std::time::Instant;

fn open_cases() -> i64 {
    200_000 / scale() // × 5 tasks = 1,000,000 open tasks
}

/// `LIANBAN_BENCH_SCALE=10` divides every count by 10 (for trying things quickly; the figures in
/// BENCHMARKS.md are at full scale).
fn scale() -> i64 {
    std::env::var("LIANBAN_BENCH_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
}
fn closed_cases() -> i64 {
    800_000 / scale() // × 5 tasks = 4,000,000 closed tasks
}
const SPREAD_DAYS: i64 = 30;
const DUE_PER_TICK: i64 = 5_000;
const TICKS: i64 = 5;

async fn exec(engine: &Engine, sql: &str, values: Vec<sea_orm::Value>) {
    engine
        .db()
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            sql,
            values,
        ))
        .await
        .unwrap();
}

/// Writes the rows with plain SQL (generate_series): cases, tasks on the bench matter's five
/// posts, and their clocks — open ones past their reminder, due over 30 days; closed ones stopped.
/// Ids are laid out like the UUIDv7s Lianban writes: ordered by creation (the series number
/// stands for the time), a case's task and clock ids close together.
async fn populate(engine: &Engine, t0: DateTime<Utc>) {
    let db = engine.db();
    let matter = matter::Entity::find()
        .filter(matter::Column::Code.eq(MATTER))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let window = staff::Entity::find()
        .filter(staff::Column::Username.eq("scjg.window"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let posts = post::Entity::find().all(db).await.unwrap();
    let started = Instant::now();
    exec(engine, "INSERT INTO cases (id, number, matter_id, kind, status, applicant_name, applicant_id_number, applicant_phone, first_responder_id, lead_staff_id, lead_department_id, received_at, accepted_at, version, updated_at)
        SELECT (lpad(to_hex(g), 12, '0') || '71008000000000000000')::uuid, 'W3-' || g, $1, 'JOINT', CASE WHEN g <= $2 THEN 'IN_REVIEW' ELSE 'DECIDED' END,
               '基准申请人', '110101199003071234', '13800138000', $3, $3, $4, $5, $5, 0, $5
        FROM generate_series(1, $6::bigint) g",
        vec![matter.id.into(), open_cases().into(), window.id.into(), window.department_id.into(), t0.into(), (open_cases() + closed_cases()).into()]).await;
    for (p, post) in posts.iter().enumerate() {
        let p = p as i64;
        // Open tasks' due times run from t0 over SPREAD_DAYS, in an order that interleaves posts.
        // Closed tasks were finished over the past year, a twelfth of them this month.
        exec(engine, "INSERT INTO clocks (id, case_id, task_id, department_id, unit, budget, started_at, due_at, state, stopped_at, provisional, rung, reminders, next_rung_at)
            SELECT (lpad(to_hex(g), 12, '0') || '72' || $1 || '08000000000000000')::uuid, (lpad(to_hex(g), 12, '0') || '71008000000000000000')::uuid, (lpad(to_hex(g), 12, '0') || '73' || $1 || '08000000000000000')::uuid, $6, 'WORKING_DAYS', 5, $2,
                   $2 + ((g * 5 + $1) * $3::double precision) * interval '1 second',
                   CASE WHEN g <= $4 THEN 'RUNNING' ELSE 'STOPPED' END,
                   CASE WHEN g <= $4 THEN NULL ELSE $2 - (g % 365) * interval '1 day' END, false, 1, 0,
                   CASE WHEN g <= $4 THEN $2 + ((g * 5 + $1) * $3::double precision) * interval '1 second' ELSE NULL END
            FROM generate_series(1, $5::bigint) g",
            vec![p.into(), t0.into(), ((SPREAD_DAYS * 86_400) as f64 / (open_cases() * 5) as f64).into(), open_cases().into(), (open_cases() + closed_cases()).into(), post.department_id.into()]).await;
        exec(engine, "INSERT INTO tasks (id, case_id, department_id, post_id, assignee_id, status, clock_id, review_limit, created_at)
            SELECT (lpad(to_hex(g), 12, '0') || '73' || $1 || '08000000000000000')::uuid, (lpad(to_hex(g), 12, '0') || '71008000000000000000')::uuid, $2, $3, $4,
                   CASE WHEN g <= $5 THEN 'OPEN' ELSE 'RESOLVED' END, (lpad(to_hex(g), 12, '0') || '72' || $1 || '08000000000000000')::uuid, 5, $6
            FROM generate_series(1, $7::bigint) g",
            vec![p.into(), post.department_id.into(), post.id.into(), post.a_holder_id.into(), open_cases().into(), t0.into(), (open_cases() + closed_cases()).into()]).await;
    }
    exec(engine, "ANALYZE", vec![]).await;
    println!(
        "  populated {} open and {} closed tasks in {:.0} s",
        open_cases() * 5,
        closed_cases() * 5,
        started.elapsed().as_secs_f64()
    );
}

/// The time between ticks: the window in which about DUE_PER_TICK clocks fall due.
fn step() -> Duration {
    Duration::milliseconds(DUE_PER_TICK * SPREAD_DAYS * 86_400_000 / (open_cases() * 5))
}

/// Sweeps TICKS windows of about DUE_PER_TICK due clocks each, starting at tick `first`, and
/// prints the median.
async fn measure(workers: &Workers, t0: DateTime<Utc>, open: i64, first: i64) {
    let step = step();
    let mut rates = Vec::new();
    for k in first..first + TICKS {
        let now = t0 + step * (k as i32);
        let started = Instant::now();
        let outcome = workers.sweep_all(now).await.unwrap().sweep;
        let seconds = started.elapsed().as_secs_f64();
        let due = outcome.fired.get("due").copied().unwrap_or(0);
        println!(
            "  {open:>9} open: tick {k} found {} due clocks, fired {due} due notices in {:.0} ms = {:.0} due tasks/s",
            outcome.examined,
            seconds * 1000.0,
            outcome.examined as f64 / seconds
        );
        rates.push(outcome.examined as f64 / seconds);
    }
    rates.sort_by(f64::total_cmp);
    println!(
        "  {open:>9} open: median {:.0} due tasks/s",
        rates[rates.len() / 2]
    );
}

pub async fn run(backend: Backend) {
    if backend != Backend::Postgres {
        return;
    }
    println!("\nW3 — the deadline sweep over 1,000,000 open and 4,000,000 closed tasks (postgres)");
    let bench = setup::fresh(backend, 4).await;
    let engine = bench.engine.clone();
    let t0 = engine.now();
    populate(&engine, t0).await;
    crate::boards::measure(&engine, open_cases() * 5).await;
    // The job as the scheduler runs it, with the default settings (1,000 clocks per transaction,
    // two concurrent streams); its mail stays in the outbox (nothing is sent here).
    let workers = Workers {
        engine: engine.clone(),
        mailer: Mailer::new(MailerConfig {
            from: "联办 <noreply@lianban.example>".to_owned(),
            transport: TransportConfig::Memory,
            context: TemplateContext {
                centre: "基准中心".to_owned(),
                base_url: "https://lianban.example".to_owned(),
            },
        })
        .unwrap(),
        settings: WorkerSettings::default(),
        metrics: std::sync::Arc::new(Metrics::new()),
    };
    // The first window also holds every clock due before it; start one window in.
    measure(&workers, t0, open_cases() * 5, 1).await;
    // The same ticks again with 100,000 open tasks: put back what the ticks did (the clocks'
    // rungs, their mail, events, items and score entries), close every open clock due after
    // day 3, vacuum — so the second run does the same work, every insert included.
    let started = Instant::now();
    exec(&engine, "UPDATE clocks SET rung = 1, reminders = 0, next_rung_at = due_at WHERE state = 'RUNNING' AND rung > 1", vec![]).await;
    for table in ["outbox", "events", "supervision_items", "score_entries"] {
        exec(&engine, &format!("DELETE FROM {table}"), vec![]).await;
    }
    let keep_until = t0 + Duration::days(SPREAD_DAYS / 10);
    // A centre with 100,000 open tasks has not just closed 900,000: date them a year back and
    // vacuum them away first, so that the ticks below do not race autovacuum for the two cores.
    exec(&engine, "UPDATE clocks SET state = 'STOPPED', stopped_at = $1, next_rung_at = NULL WHERE state = 'RUNNING' AND due_at > $2", vec![(t0 - Duration::days(400)).into(), keep_until.into()]).await;
    // Closing them appended their tallies' signed rows (two a clock): fold them as the sweep
    // would have, over the days they were closed, before the vacuum.
    engine.fold_clock_tallies().await.unwrap();
    exec(&engine, "VACUUM ANALYZE", vec![]).await;
    exec(&engine, "CHECKPOINT", vec![]).await;
    let open: i64 = engine
        .db()
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT count(*) AS n FROM clocks WHERE state = 'RUNNING'",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "n")
        .unwrap();
    println!(
        "  reset the ticks, closed all but {open} open clocks and vacuumed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    measure(&workers, t0, open, 1).await;
    crate::boards::measure(&engine, open).await;
    if std::env::var("LIANBAN_BENCH_KEEP").is_ok() {
        println!(
            "  kept schema {} (LIANBAN_BENCH_KEEP)",
            bench.schema.as_deref().unwrap_or("?")
        );
        return;
    }
    bench.drop_all().await;
}
