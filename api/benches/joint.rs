//! W1 and W2 through the real interface, side by side with SpiffWorkflow (issue: "make W1 and W2
//! lead, measured side by side"). Lianban: GraphQL over HTTP against the release `lianban serve`
//! (its jobs off) on PostgreSQL with durable commits — `openCase(acceptNow: true)` for the demo's
//! JOINT-001 (three co-handling departments), then every department's `submitOpinion(APPROVE)`
//! in case order, so a case's opinions are in flight together and its last ones race.
//! SpiffWorkflow: the same joint case (`tests/benches/spiff/joint.bpmn`: accept, a parallel
//! multi-instance review over the three departments, decide), one transaction per step, its
//! workflow stored as JSON in the same PostgreSQL server (`tests/benches/spiff/joint.py`, Python
//! threads). Rounds alternate between the two so that drift on the shared machine hits both; the
//! table gives the median of the rounds. Both sides are checked exactly-once from the database
//! after each W2 round. Then W1 and W2 of Lianban alone on SQLite (the embedded default), through
//! HTTP the same way. A benchmark: it prints figures and asserts no speed.
//!
//! ```text
//! cargo bench -p lianban-api --bench joint     # ~15 minutes; LIANBAN_JOINT_CASES=200 for a try
//! ```
//! PostgreSQL: `LIANBAN_TEST_DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/test`);
//! each run works in schemas of its own and drops them. SpiffWorkflow is installed from PyPI into
//! `target/spiff-venv` on the first run (`tests/benches/spiff/requirements.txt`).

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)] // a benchmark reports on stdout

mod common;
use common::{cpu_model, database_url, free_port};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const ROUNDS: usize = 3;
const CLIENTS: [usize; 2] = [1, 4];
const PASSWORD: &str = "Lianban@2026";
const JWT: &str = "joint-benchmark-secret-0123456789abcdefghij";
const OPEN: &str = "mutation($input: OpenCaseInput!) { openCase(input: $input) { id number status dueAt tasks { id department { code } assignee { username } } } }";
const OPINION: &str =
    "mutation($input: SubmitOpinionInput!) { submitOpinion(input: $input) { id kind } }";
const REVIEWERS: [&str; 6] = ["xfjy.a", "xfjy.b", "sthj.a", "sthj.b", "wsjk.a", "wsjk.b"];

fn cases() -> usize {
    std::env::var("LIANBAN_JOINT_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2_000)
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// The release `lianban serve --demo` on a database of its own.
struct Server {
    child: Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    async fn start(database: &[(&str, String)]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let mut command = Command::new(env!("CARGO_BIN_EXE_lianban"));
        command
            .args(["serve", "--demo"])
            .current_dir(dir.path())
            .env("LIANBAN_JWT_SECRET", JWT)
            .env("LIANBAN_BIND", format!("127.0.0.1:{port}"))
            .env("LIANBAN_WORKERS__ENABLED", "false")
            .env("LIANBAN_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        for (name, value) in database {
            command.env(name, value);
        }
        let child = command.spawn().unwrap();
        let deadline = Instant::now() + Duration::from_secs(120);
        while reqwest::get(format!("{base}/healthz")).await.is_err() {
            assert!(Instant::now() < deadline, "the server did not start");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        Server {
            child,
            base,
            _dir: dir,
        }
    }
}

#[derive(Clone)]
struct Api {
    http: reqwest::Client,
    url: String,
}

impl Api {
    async fn call(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut request = self
            .http
            .post(&self.url)
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let answer: Value = request.send().await.unwrap().json().await.unwrap();
        assert!(answer["errors"].is_null(), "{answer}");
        answer
    }

    async fn login(&self, username: &str) -> String {
        let answer = self
            .call(
                None,
                "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }",
                json!({ "u": username, "p": PASSWORD }),
            )
            .await;
        answer["data"]["login"]["token"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

/// Lianban's side: the window's and the reviewers' sessions.
struct Lianban {
    api: Api,
    window: String,
    reviewers: HashMap<String, String>,
}

/// One opinion to give: the task and who gives it.
struct Work {
    task: String,
    token: String,
}

/// Runs `items` on `clients` tasks taking them in order; returns the wall time.
async fn in_order<T, F, Fut>(items: Vec<T>, clients: usize, work: F) -> Duration
where
    T: Send + Sync + 'static,
    F: Fn(Arc<T>) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let items: Arc<Vec<Arc<T>>> = Arc::new(items.into_iter().map(Arc::new).collect());
    let next = Arc::new(AtomicUsize::new(0));
    let work = Arc::new(work);
    let started = Instant::now();
    let mut handles = Vec::new();
    for _ in 0..clients {
        let (items, next, work) = (items.clone(), next.clone(), work.clone());
        handles.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                work(item.clone()).await;
            }
        }));
    }
    for handle in handles {
        handle.await.unwrap();
    }
    started.elapsed()
}

impl Lianban {
    async fn sign_in(base: &str) -> Lianban {
        let api = Api {
            http: reqwest::Client::new(),
            url: format!("{base}/graphql"),
        };
        let window = api.login("scjg.window").await;
        let mut reviewers = HashMap::new();
        for username in REVIEWERS {
            reviewers.insert(username.to_owned(), api.login(username).await);
        }
        Lianban {
            api,
            window,
            reviewers,
        }
    }

    /// W1: opens `n` cases with `clients`; returns cases/s and the opinions to give, in case order.
    async fn open(&self, n: usize, clients: usize) -> (f64, Vec<Work>, Vec<String>) {
        let opened = Arc::new(std::sync::Mutex::new(Vec::with_capacity(n)));
        let (api, window, sink) = (self.api.clone(), self.window.clone(), opened.clone());
        let took = in_order((0..n).collect(), clients, move |i: Arc<usize>| {
            let (api, window, sink) = (api.clone(), window.clone(), sink.clone());
            async move {
                let answer = api
                    .call(
                        Some(&window),
                        OPEN,
                        json!({ "input": {
                            "matterCode": "JOINT-001",
                            "applicant": { "name": "基准申请人", "idNumber": "110101199003071234", "phone": "13800138000" },
                            "acceptNow": true,
                        }}),
                    )
                    .await;
                sink.lock().unwrap().push((*i, answer["data"]["openCase"].clone()));
            }
        })
        .await;
        let mut opened = std::mem::take(&mut *opened.lock().unwrap());
        opened.sort_by_key(|(i, _)| *i);
        let mut work = Vec::new();
        let mut ids = Vec::new();
        for (_, case) in opened {
            assert_eq!(case["status"], "IN_REVIEW", "{case}");
            ids.push(case["id"].as_str().unwrap().to_owned());
            let tasks = case["tasks"].as_array().unwrap();
            assert_eq!(tasks.len(), 3, "{case}");
            for task in tasks {
                let assignee = task["assignee"]["username"].as_str().unwrap();
                work.push(Work {
                    task: task["id"].as_str().unwrap().to_owned(),
                    token: self.reviewers[assignee].clone(),
                });
            }
        }
        (n as f64 / took.as_secs_f64(), work, ids)
    }

    /// W2: gives every opinion of `work` with `clients`; returns opinions/s.
    async fn opinions(&self, work: Vec<Work>, clients: usize) -> f64 {
        let count = work.len();
        let api = self.api.clone();
        let took = in_order(work, clients, move |item: Arc<Work>| {
            let api = api.clone();
            async move {
                let answer = api
                    .call(
                        Some(&item.token),
                        OPINION,
                        json!({ "input": { "taskId": item.task, "kind": "APPROVE" } }),
                    )
                    .await;
                assert_eq!(answer["data"]["submitOpinion"]["kind"], "APPROVE");
            }
        })
        .await;
        count as f64 / took.as_secs_f64()
    }

    /// Exactly once: every case of the round awaits its decision and moved there once.
    async fn exactly_once(&self, leader: &str, ids: &[String]) -> bool {
        let mut ok = true;
        for chunk in ids.chunks(20) {
            let mut fields = String::new();
            for (i, id) in chunk.iter().enumerate() {
                fields.push_str(&format!(
                    "c{i}: case(id: \"{id}\") {{ status timeline {{ kind }} }} "
                ));
            }
            let answer = self
                .api
                .call(Some(leader), &format!("{{ {fields} }}"), json!({}))
                .await;
            for i in 0..chunk.len() {
                let case = &answer["data"][format!("c{i}")];
                let moved = case["timeline"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|e| e["kind"] == "CASE_AWAITING_DECISION")
                    .count();
                ok &= case["status"] == "AWAITING_DECISION" && moved == 1;
            }
        }
        ok
    }
}

/// SpiffWorkflow's side: `joint.py` in the venv.
struct Spiff {
    python: PathBuf,
    schema: String,
}

impl Spiff {
    fn install() -> PathBuf {
        let venv = repository().join("target/spiff-venv");
        let python = venv.join("bin/python");
        let requirements = repository().join("tests/benches/spiff/requirements.txt");
        let stamp = venv.join("requirements.txt");
        let wanted = std::fs::read_to_string(&requirements).unwrap();
        if std::fs::read_to_string(&stamp).ok().as_deref() != Some(wanted.as_str()) {
            println!("  installing SpiffWorkflow into {}", venv.display());
            let ok = Command::new("python3")
                .args(["-m", "venv"])
                .arg(&venv)
                .status()
                .unwrap()
                .success()
                && Command::new(&python)
                    .args(["-m", "pip", "install", "-q", "-r"])
                    .arg(&requirements)
                    .status()
                    .unwrap()
                    .success();
            assert!(ok, "installing tests/benches/spiff/requirements.txt failed");
            std::fs::write(&stamp, wanted).unwrap();
        }
        python
    }

    fn run(&self, phase: &str, round: usize, n: usize, clients: usize) -> Value {
        let output = Command::new(&self.python)
            .arg(repository().join("tests/benches/spiff/joint.py"))
            .args(["--database-url", &database_url()])
            .args(["--schema", &self.schema])
            .args(["--phase", phase])
            .args(["--cases", &n.to_string()])
            .args(["--clients", &clients.to_string()])
            .args(["--round", &round.to_string()])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "joint.py {phase}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let line = String::from_utf8_lossy(&output.stdout);
        serde_json::from_str(line.lines().last().unwrap()).unwrap()
    }
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// Runs the SQL statement `sql` on PostgreSQL with `psql`.
fn psql(sql: &str) {
    let ok = Command::new("psql")
        .args([&database_url(), "-q", "-c", sql])
        .env("PGOPTIONS", "-c client_min_messages=warning")
        .stdout(Stdio::null())
        .status()
        .unwrap()
        .success();
    assert!(ok, "psql: {sql}");
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let n = cases();
    let cpu = cpu_model();
    println!(
        "machine: {} CPUs ({cpu}); release build; {n} cases per round, {ROUNDS} rounds, median",
        std::thread::available_parallelism().map_or(0, usize::from)
    );
    let spiff = Spiff {
        python: Spiff::install(),
        schema: format!("spiff_{}", uuid::Uuid::now_v7().simple()),
    };
    let schema = format!("joint_{}", uuid::Uuid::now_v7().simple());
    let server = Server::start(&[
        ("LIANBAN_DATABASE_URL", database_url()),
        ("LIANBAN_DATABASE_SCHEMA", schema.clone()),
    ])
    .await;
    let lianban = Lianban::sign_in(&server.base).await;
    let leader = lianban.api.login("leader").await;

    // [clients] → (Lianban W1, Spiff W1, Lianban W2, Spiff W2) per round.
    let mut figures: HashMap<usize, [Vec<f64>; 4]> = HashMap::new();
    let mut exact = (true, true);
    let mut round_no = 0;
    for round in 0..ROUNDS {
        for clients in CLIENTS {
            round_no += 1;
            let f = figures.entry(clients).or_default();
            // Alternate which side goes first.
            let spiff_first = round % 2 == 1;
            if spiff_first {
                f[1].push(
                    spiff.run("open", round_no, n, clients)["ops_per_s"]
                        .as_f64()
                        .unwrap(),
                );
            }
            let (w1, work, ids) = lianban.open(n, clients).await;
            f[0].push(w1);
            if !spiff_first {
                f[1].push(
                    spiff.run("open", round_no, n, clients)["ops_per_s"]
                        .as_f64()
                        .unwrap(),
                );
            }
            let answer = spiff.run("opinions", round_no, n, clients);
            f[3].push(answer["ops_per_s"].as_f64().unwrap());
            exact.1 &= answer["exactly_once"] == true;
            f[2].push(lianban.opinions(work, clients).await);
            exact.0 &= lianban.exactly_once(&leader, &ids).await;
            println!(
                "  round {} with {clients} client(s): Lianban W1 {:.0} cases/s, W2 {:.0} opinions/s; SpiffWorkflow W1 {:.0}, W2 {:.0}",
                round + 1,
                f[0].last().unwrap(),
                f[2].last().unwrap(),
                f[1].last().unwrap(),
                f[3].last().unwrap()
            );
        }
    }
    drop(server);
    psql(&format!("DROP SCHEMA {schema} CASCADE"));
    psql(&format!("DROP SCHEMA {} CASCADE", spiff.schema));

    println!(
        "\nW1/W2 through the API on PostgreSQL ({n} cases of 3 departments, median of {ROUNDS})"
    );
    println!(
        "  {:<28} {:>14} {:>14} {:>18} {:>18}",
        "", "W1 cases/s, 1", "W1, 4 clients", "W2 opinions/s, 1", "W2, 4 clients"
    );
    let cell = |i: usize, clients: usize| median(figures[&clients][i].clone());
    println!(
        "  {:<28} {:>14.0} {:>14.0} {:>18.0} {:>18.0}",
        "SpiffWorkflow (Python)",
        cell(1, 1),
        cell(1, 4),
        cell(3, 1),
        cell(3, 4)
    );
    println!(
        "  {:<28} {:>14.0} {:>14.0} {:>18.0} {:>18.0}",
        "Lianban",
        cell(0, 1),
        cell(0, 4),
        cell(2, 1),
        cell(2, 4)
    );
    println!(
        "  {:<28} {:>13.2}× {:>13.2}× {:>17.2}× {:>17.2}×",
        "Lianban / SpiffWorkflow",
        cell(0, 1) / cell(1, 1),
        cell(0, 4) / cell(1, 4),
        cell(2, 1) / cell(3, 1),
        cell(2, 4) / cell(3, 4)
    );
    println!(
        "  exactly once (every case moved to awaiting decision once): Lianban {}, SpiffWorkflow {}",
        if exact.0 { "PASS" } else { "FAIL" },
        if exact.1 { "PASS" } else { "FAIL" }
    );

    // The embedded default, Lianban alone.
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&[(
        "LIANBAN_DATABASE_URL",
        format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("lianban.db").display()
        ),
    )])
    .await;
    let lianban = Lianban::sign_in(&server.base).await;
    let leader = lianban.api.login("leader").await;
    let mut sqlite: HashMap<usize, [Vec<f64>; 2]> = HashMap::new();
    let mut exact = true;
    for _ in 0..ROUNDS {
        for clients in CLIENTS {
            let (w1, work, ids) = lianban.open(n, clients).await;
            let w2 = lianban.opinions(work, clients).await;
            exact &= lianban.exactly_once(&leader, &ids).await;
            let f = sqlite.entry(clients).or_default();
            f[0].push(w1);
            f[1].push(w2);
        }
    }
    let cell = |i: usize, clients: usize| median(sqlite[&clients][i].clone());
    println!(
        "  {:<28} {:>14.0} {:>14.0} {:>18.0} {:>18.0}   exactly once: {}",
        "Lianban on SQLite",
        cell(0, 1),
        cell(0, 4),
        cell(1, 1),
        cell(1, 4),
        if exact { "PASS" } else { "FAIL" }
    );
}
