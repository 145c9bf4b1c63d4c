//! W4 (SPEC §10) — `myTasks` (pages of 50) over HTTP at 200 requests/s with 1,000,000 open tasks
//! across 50 departments on PostgreSQL, against the real `lianban serve` (release build, its
//! jobs off). Twenty reviewers of twenty departments each send 10 requests/s on a fixed
//! schedule (open loop: each request on its own task at its time, the reviewers 5 ms apart, so
//! the 200 requests/s arrive evenly spaced), each reading its queue page after page; every
//! answer is checked (HTTP 200, no GraphQL errors, a page of tasks) and timed, and the
//! percentiles are taken over all of them. Also the server's resident memory, idle before and
//! after the load. A benchmark: it prints figures and asserts no speed.
//!
//! ```text
//! cargo bench -p lianban-api --bench w4            # ~3 minutes; LIANBAN_BENCH_SCALE=10 for a try
//! ```
//! PostgreSQL: `LIANBAN_TEST_DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/test`); the
//! run works in a schema of its own and drops it.

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)] // a benchmark reports on stdout

mod common;
use common::{database_url, free_port};
use lianban_api::{Settings, build_engine};
use lianban_engine::SystemClock;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::json;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const DEPARTMENTS: i64 = 50;
const REVIEWERS: i64 = 10;
/// Reviewers reading at once (of twenty departments), requests/s each.
const READERS: usize = 20;
const RATE: usize = 10;
/// The pages of a queue the readers go through (50 tasks each; a reviewer has 2,000).
const MAX_PAGES: usize = 40;
/// How long the load runs (`LIANBAN_W4_SECONDS` to change).
fn seconds() -> u64 {
    std::env::var("LIANBAN_W4_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30)
}
const JWT: &str = "w4-benchmark-secret-0123456789abcdefghij";
const QUERY: &str = "query($after: String) { myTasks(filter: {status: OPEN}, first: 50, after: $after) { edges { node { id dueAt light department { name } case { number matter { name } } } } pageInfo { hasNextPage endCursor } } }";

/// One page of a reviewer's queue.
async fn page(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    after: Option<&str>,
) -> serde_json::Value {
    http.post(format!("{base}/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": QUERY, "variables": { "after": after } }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn scale() -> i64 {
    std::env::var("LIANBAN_BENCH_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
}

async fn exec(db: &impl ConnectionTrait, sql: &str, values: Vec<sea_orm::Value>) {
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        sql,
        values,
    ))
    .await
    .unwrap();
}

/// 50 departments (the demo's 6 and 44 more) with 10 reviewers each on one post, and
/// `open` open tasks spread evenly over the 500 reviewers, each with its clock, in cases of
/// five tasks of the demo's joint matter.
async fn populate(db: &impl ConnectionTrait, open: i64) {
    let started = Instant::now();
    exec(db, "INSERT INTO departments (id, code, name, created_at)
        SELECT gen_random_uuid(), 'W4-' || g, '基准部门' || g, now() FROM generate_series(1, $1::bigint - (SELECT count(*) FROM departments)) g",
        vec![DEPARTMENTS.into()]).await;
    exec(db, "INSERT INTO staff (id, department_id, username, display_name, email, password_hash, roles, active, created_at)
        SELECT gen_random_uuid(), d.id, 'w4.' || d.code || '.' || r, '基准审核' || r, 'w4.' || d.code || '.' || r || '@lianban.example',
               (SELECT password_hash FROM staff WHERE username = 'scjg.a'), 'REVIEWER', true, now()
        FROM (SELECT id, code FROM departments ORDER BY code LIMIT $1) d, generate_series(1, $2::bigint) r",
        vec![DEPARTMENTS.into(), REVIEWERS.into()]).await;
    exec(db, "INSERT INTO posts (id, department_id, name, a_holder_id, created_at)
        SELECT gen_random_uuid(), d.id, '基准岗', (SELECT s.id FROM staff s WHERE s.username = 'w4.' || d.code || '.1'), now()
        FROM departments d", vec![]).await;
    // Reviewer k (0..500) of department k / 10; task i goes to reviewer i % 500.
    exec(db, "CREATE TABLE w4_reviewers AS
        SELECT row_number() OVER (ORDER BY d.code, s.username) - 1 AS k, s.id AS staff_id, d.id AS department_id,
               (SELECT p.id FROM posts p WHERE p.department_id = d.id AND p.name = '基准岗') AS post_id
        FROM staff s JOIN departments d ON d.id = s.department_id WHERE s.username LIKE 'w4.%'", vec![]).await;
    exec(db, "INSERT INTO cases (id, number, matter_id, kind, status, applicant_name, applicant_id_number, applicant_phone, first_responder_id, lead_staff_id, lead_department_id, received_at, accepted_at, version, updated_at)
        SELECT (lpad(to_hex(g), 12, '0') || '71008000000000000000')::uuid, 'W4-' || g, (SELECT id FROM matters WHERE code = 'JOINT-001'), 'JOINT', 'IN_REVIEW',
               '基准申请人', '110101199003071234', '13800138000', w.id, w.id, w.department_id, now(), now(), 0, now()
        FROM generate_series(1, $1::bigint / 5) g, (SELECT id, department_id FROM staff WHERE username = 'scjg.window') w",
        vec![open.into()]).await;
    exec(db, "INSERT INTO clocks (id, case_id, task_id, department_id, unit, budget, started_at, due_at, state, stopped_at, provisional, rung, reminders, next_rung_at)
        SELECT (lpad(to_hex(g), 12, '0') || '72008000000000000000')::uuid, (lpad(to_hex((g - 1) / 5 + 1), 12, '0') || '71008000000000000000')::uuid,
               (lpad(to_hex(g), 12, '0') || '73008000000000000000')::uuid, r.department_id, 'WORKING_DAYS', 5, now(),
               now() + (g % 720) * interval '1 hour', 'RUNNING', NULL, false, 0, 0, now() + (g % 720) * interval '1 hour'
        FROM generate_series(1, $1::bigint) g JOIN w4_reviewers r ON r.k = g % 500",
        vec![open.into()]).await;
    exec(db, "INSERT INTO tasks (id, case_id, department_id, post_id, assignee_id, status, clock_id, review_limit, created_at)
        SELECT (lpad(to_hex(g), 12, '0') || '73008000000000000000')::uuid, (lpad(to_hex((g - 1) / 5 + 1), 12, '0') || '71008000000000000000')::uuid,
               r.department_id, r.post_id, r.staff_id, 'OPEN', (lpad(to_hex(g), 12, '0') || '72008000000000000000')::uuid, 5, now()
        FROM generate_series(1, $1::bigint) g JOIN w4_reviewers r ON r.k = g % 500",
        vec![open.into()]).await;
    // Measure serving, not the bulk load's aftermath: vacuumed and analysed tables, and the
    // load's dirty pages written out now rather than by a checkpoint in the middle of the run.
    exec(db, "VACUUM ANALYZE", vec![]).await;
    exec(db, "CHECKPOINT", vec![]).await;
    println!(
        "  populated {open} open tasks over {DEPARTMENTS} departments and {} reviewers in {:.0} s",
        DEPARTMENTS * REVIEWERS,
        started.elapsed().as_secs_f64()
    );
}

/// Resident memory of `pid` in MiB.
fn resident_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kib: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap();
    kib / 1024.0
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn graphql(base: &str, token: Option<&str>, query: &str) -> serde_json::Value {
    let mut request = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": query }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap().json().await.unwrap()
}

/// The richest selection of a leadership board a portal asks for.
const LEADERSHIP: &str = "leadershipBoard { at year month centre { open green yellow red paused openSupervision redCardItems finishedThisMonth onTimeThisMonth onTimeRate } departments { name oldestItemAgeDays counts { open green yellow red paused openSupervision redCardItems finishedThisMonth onTimeThisMonth onTimeRate } } oldestOverdue { number dueAt overdueDays department { name } } openItems { ageDays } }";

/// `copies` aliased copies of `field` in one query.
fn copies(field: &str, copies: usize) -> String {
    let fields: Vec<String> = (0..copies).map(|i| format!("c{i}: {field}")).collect();
    format!("{{ {} }}", fields.join(" "))
}

/// Times `query` `runs` times as `token`; the median and the slowest, in ms.
async fn timed(base: &str, token: &str, query: &str, runs: usize) -> (f64, f64) {
    let mut times = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        let answer = graphql(base, Some(token), query).await;
        assert!(answer["errors"].is_null(), "{answer}");
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    (
        percentile(&times, 50.0),
        times.last().copied().unwrap_or(0.0),
    )
}

/// The most expensive request the complexity limit lets through at this scale: as many aliased
/// copies of the richest board as fit, timed against one copy.
async fn worst_allowed_boards(base: &str) {
    let login = graphql(
        base,
        None,
        "mutation { login(username: \"leader\", password: \"Lianban@2026\") { token } }",
    )
    .await;
    let leader = login["data"]["login"]["token"].as_str().unwrap().to_owned();
    let departments = graphql(base, Some(&leader), "{ departments { id code } }").await;
    let busiest = departments["data"]["departments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "W4-1")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let department = format!(
        "departmentBoard(departmentId: \"{busiest}\") {{ at counts {{ open yellow red paused }} queue {{ id dueAt light case {{ number }} }} away {{ staff {{ name }} acting {{ name }} }} scoreThisMonth scoreEntriesThisMonth }}"
    );
    for (name, field) in [
        ("leadershipBoard", LEADERSHIP),
        ("departmentBoard", department.as_str()),
    ] {
        let mut most = 0;
        while graphql(base, Some(&leader), &copies(field, most + 1)).await["errors"].is_null() {
            most += 1;
        }
        let refused = graphql(base, Some(&leader), &copies(field, most + 1)).await;
        let (one, _) = timed(base, &leader, &copies(field, 1), 5).await;
        let (median, slowest) = timed(base, &leader, &copies(field, most), 5).await;
        println!(
            "  worst allowed {name} request: {most} copies pass the complexity limit ({} refused: {}); one copy {one:.0} ms, {most} copies median {median:.0} ms, slowest {slowest:.0} ms (5 runs)",
            most + 1,
            refused["errors"][0]["extensions"]["code"]
        );
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let open = 1_000_000 / scale();
    let schema = format!("w4_{}", uuid::Uuid::now_v7().simple());
    println!("W4 — myTasks over HTTP with {open} open tasks (postgres, schema {schema})");
    let settings = Settings::from_figment(Settings::defaults_with(json!({
        "database_url": database_url(),
        "database_schema": schema,
        "jwt_secret": JWT,
    })))
    .unwrap();
    let engine = build_engine(&settings, Arc::new(SystemClock))
        .await
        .unwrap();
    engine.load_demo().await.unwrap();
    populate(engine.db(), open).await;
    let tls = engine
        .db()
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
        ))
        .await
        .unwrap()
        .and_then(|row| row.try_get_by_index::<bool>(0).ok())
        .unwrap_or(false);
    println!(
        "  connections to PostgreSQL {} TLS (the URL's sslmode decides)",
        if tls { "use" } else { "do not use" }
    );

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let server = Server(
        Command::new(env!("CARGO_BIN_EXE_lianban"))
            .arg("serve")
            .env("LIANBAN_DATABASE_URL", database_url())
            .env("LIANBAN_DATABASE_SCHEMA", &schema)
            .env("LIANBAN_JWT_SECRET", JWT)
            .env("LIANBAN_BIND", format!("127.0.0.1:{port}"))
            .env("LIANBAN_WORKERS__ENABLED", "false")
            .env("LIANBAN_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let pid = server.0.id();
    let deadline = Instant::now() + Duration::from_secs(60);
    while reqwest::get(format!("{base}/healthz")).await.is_err() {
        assert!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle_before = resident_mib(pid);

    // Twenty reviewers of twenty departments, each with 2,000 open tasks: each reads its queue
    // page after page (the cursors collected first, one walk through the queue each).
    let http = reqwest::Client::new();
    let mut readers = Vec::new();
    for n in 0..READERS {
        let code = format!("W4-{}", 1 + n * (DEPARTMENTS as usize / READERS));
        let login = graphql(&base, None, &format!("mutation {{ login(username: \"w4.{code}.3\", password: \"Lianban@2026\") {{ token }} }}")).await;
        let token = login["data"]["login"]["token"].as_str().unwrap().to_owned();
        let mut pages = vec![None];
        loop {
            let answer = page(&http, &base, &token, pages.last().unwrap().as_deref()).await;
            let connection = &answer["data"]["myTasks"];
            let edges = connection["edges"].as_array().map_or(0, Vec::len);
            assert!(edges > 0, "a page of tasks: {answer}");
            if connection["pageInfo"]["hasNextPage"] != true || pages.len() >= MAX_PAGES {
                break;
            }
            pages.push(
                connection["pageInfo"]["endCursor"]
                    .as_str()
                    .map(str::to_owned),
            );
        }
        readers.push(Arc::new((token, pages)));
    }
    let pages_per_reader = readers[0].1.len();
    // The load: every reader sends RATE requests/s on its own schedule, the readers' schedules
    // 1000 / (RATE × READERS) ms apart, each request on its own task so a slow answer does not
    // delay the next one (open loop); each answer is checked — HTTP 200 and a page of tasks
    // without GraphQL errors — and timed.
    let started = tokio::time::Instant::now();
    let period = Duration::from_millis(1000 / RATE as u64);
    let offset = Duration::from_micros(1_000_000 / (RATE * READERS) as u64);
    let mut requests = Vec::new();
    for (n, reader) in readers.iter().enumerate() {
        for k in 0..(RATE as u64 * seconds()) {
            let at = started + offset * n as u32 + period * k as u32;
            let (http, base, reader) = (http.clone(), base.clone(), reader.clone());
            requests.push(tokio::spawn(async move {
                tokio::time::sleep_until(at).await;
                let after = reader.1[k as usize % reader.1.len()].clone();
                let sent = Instant::now();
                let answer = http
                    .post(format!("{base}/graphql"))
                    .bearer_auth(&reader.0)
                    .json(&json!({ "query": QUERY, "variables": { "after": after } }))
                    .send()
                    .await;
                let ok = match answer {
                    Ok(response) if response.status().is_success() => {
                        match response.json::<serde_json::Value>().await {
                            Ok(body) => {
                                body["errors"].is_null()
                                    && body["data"]["myTasks"]["edges"]
                                        .as_array()
                                        .is_some_and(|e| !e.is_empty())
                            }
                            Err(_) => false,
                        }
                    }
                    _ => false,
                };
                (sent.elapsed().as_secs_f64() * 1000.0, ok)
            }));
        }
    }
    let mut times = Vec::new();
    let mut failed = 0usize;
    for request in requests {
        let (ms, ok) = request.await.unwrap();
        times.push(ms);
        if !ok {
            failed += 1;
        }
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle_after = resident_mib(pid);
    times.sort_by(f64::total_cmp);
    let rate = times.len() as f64 / seconds() as f64;
    println!(
        "  {} requests in {} s ({rate:.0} requests/s, {failed} failed: not 200, GraphQL errors or no tasks), {READERS} reviewers × {RATE}/s, each through its {pages_per_reader} pages",
        times.len(),
        seconds()
    );
    println!(
        "  latency: p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        percentile(&times, 50.0),
        percentile(&times, 90.0),
        percentile(&times, 99.0),
        times.last().copied().unwrap_or(0.0)
    );
    println!(
        "  server resident memory: {idle_before:.1} MiB idle before, {idle_after:.1} MiB idle after"
    );
    worst_allowed_boards(&base).await;
    if let Some(hold) = std::env::var("LIANBAN_W4_HOLD")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        // Keep the server up to look at it by hand: LIANBAN_W4_HOLD=<seconds>.
        println!(
            "  holding {base} for {hold} s; a reviewer's token: {}",
            readers[0].0
        );
        tokio::time::sleep(Duration::from_secs(hold)).await;
    }
    drop(server);
    exec(
        engine.db(),
        &format!("DROP SCHEMA {schema} CASCADE"),
        vec![],
    )
    .await;
}
