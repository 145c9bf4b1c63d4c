//! W2 — 50,000 opinions from 64 clients, 10% of them duplicate submissions (a retried request
//! with the same idempotency key), the five opinions of each case arriving together so the last
//! ones race. Reports opinions/s and latency percentiles; the gate: every case moved to
//! AWAITING_DECISION exactly once, every task has exactly one opinion, none lost.

use crate::setup::{self, Backend, MATTER};
use crate::stats::percentile_ms;
use lianban_engine::Actor;
use lianban_engine::cases::{Applicant, OpenCase, SubmitOpinion};
use lianban_entity::CaseStatus;
use lianban_entity::{event, opinion, staff, task};
use lianban_rules::OpinionKind;
use lianban_rules::cases::OpinionDraft;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use uuid::Uuid;

const OPINIONS: usize = 50_000;
const CLIENTS: usize = 64;
const TASKS_PER_CASE: usize = 5;

/// One submission: the task, who answers it, and whether it is a duplicate.
#[derive(Clone)]
struct Job {
    task: Uuid,
    case: Uuid,
    actor: Arc<Actor>,
}

pub async fn run(backend: Backend) {
    let unique = OPINIONS * 9 / 10;
    let cases = unique / TASKS_PER_CASE;
    println!(
        "\nW2 — {OPINIONS} opinions from {CLIENTS} clients, 10% duplicates, last opinions racing ({})",
        backend.name()
    );
    let bench = setup::fresh(backend, CLIENTS as u32).await;
    let engine = bench.engine.clone();

    // Setup: `cases` joint cases accepted at the counter, opened by 8 clients.
    let window = staff::Entity::find()
        .filter(staff::Column::Username.eq("scjg.window"))
        .one(engine.db())
        .await
        .unwrap()
        .unwrap();
    let window = Arc::new(engine.actor(window.id).await.unwrap());
    let started = Instant::now();
    let next = Arc::new(AtomicUsize::new(0));
    let mut openers = Vec::new();
    for _ in 0..8 {
        let (engine, window, next) = (engine.clone(), window.clone(), next.clone());
        openers.push(tokio::spawn(async move {
            while next.fetch_add(1, Ordering::Relaxed) < cases {
                engine
                    .open_case(
                        &window,
                        OpenCase {
                            matter_code: MATTER.into(),
                            applicant: Applicant {
                                name: "基准申请人".into(),
                                id_number: "110101199003071234".into(),
                                phone: "13800138000".into(),
                            },
                            first_responder_id: None,
                            accept_now: true,
                            idempotency_key: None,
                        },
                    )
                    .await
                    .unwrap();
            }
        }));
    }
    for o in openers {
        o.await.unwrap();
    }
    println!(
        "  setup: {cases} cases with {TASKS_PER_CASE} tasks each in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // The work list: each case's tasks together; a tenth of them submitted twice, the twin
    // right behind the original so the two race.
    let tasks = task::Entity::find().all(engine.db()).await.unwrap();
    let mut actors: HashMap<Uuid, Arc<Actor>> = HashMap::new();
    for t in &tasks {
        if let std::collections::hash_map::Entry::Vacant(slot) = actors.entry(t.assignee_id) {
            slot.insert(Arc::new(engine.actor(t.assignee_id).await.unwrap()));
        }
    }
    let mut by_case: HashMap<Uuid, Vec<&task::Model>> = HashMap::new();
    for t in &tasks {
        by_case.entry(t.case_id).or_default().push(t);
    }
    let mut jobs = Vec::with_capacity(OPINIONS);
    let mut duplicates = 0;
    for (i, (case, ts)) in by_case.iter().enumerate() {
        for (j, t) in ts.iter().enumerate() {
            let job = Job {
                task: t.id,
                case: *case,
                actor: actors[&t.assignee_id].clone(),
            };
            jobs.push(job.clone());
            if (i * TASKS_PER_CASE + j).is_multiple_of(9) && duplicates < OPINIONS - unique {
                jobs.push(job);
                duplicates += 1;
            }
        }
    }
    let jobs = Arc::new(jobs);

    // The run: 64 clients take jobs in order, so each case's opinions are in flight together.
    let cursor = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut clients = Vec::new();
    for _ in 0..CLIENTS {
        let (engine, jobs, cursor) = (engine.clone(), jobs.clone(), cursor.clone());
        clients.push(tokio::spawn(async move {
            let mut samples: Vec<(Uuid, Duration)> = Vec::new();
            loop {
                let i = cursor.fetch_add(1, Ordering::Relaxed);
                let Some(job) = jobs.get(i) else { break };
                let t0 = Instant::now();
                engine
                    .submit_opinion(
                        &job.actor,
                        SubmitOpinion {
                            task_id: job.task,
                            draft: OpinionDraft {
                                kind: Some(OpinionKind::Approve),
                                ..Default::default()
                            },
                            idempotency_key: Some(format!("w2-{}", job.task)),
                        },
                    )
                    .await
                    .unwrap();
                samples.push((job.task, t0.elapsed()));
                let _ = job.case;
            }
            samples
        }));
    }
    let mut samples = Vec::with_capacity(OPINIONS);
    for c in clients {
        samples.extend(c.await.unwrap());
    }
    let elapsed = started.elapsed();

    // The gate.
    let opinions = opinion::Entity::find().count(engine.db()).await.unwrap() as usize;
    let moved = event::Entity::find()
        .filter(event::Column::Kind.eq("CASE_AWAITING_DECISION"))
        .all(engine.db())
        .await
        .unwrap();
    let mut per_case: HashMap<Uuid, usize> = HashMap::new();
    for e in &moved {
        *per_case.entry(e.case_id.unwrap()).or_default() += 1;
    }
    let waiting = lianban_entity::case::Entity::find()
        .filter(lianban_entity::case::Column::Status.eq(CaseStatus::AwaitingDecision))
        .count(engine.db())
        .await
        .unwrap() as usize;
    let gate = opinions == unique
        && per_case.len() == cases
        && per_case.values().all(|n| *n == 1)
        && waiting == cases;

    // Merge latency: the submission whose opinion was its case's last.
    let submitted = event::Entity::find()
        .filter(event::Column::Kind.eq("OPINION_SUBMITTED"))
        .all(engine.db())
        .await
        .unwrap();
    let mut last_per_case: HashMap<Uuid, (i64, Uuid)> = HashMap::new();
    for e in &submitted {
        let entry = last_per_case
            .entry(e.case_id.unwrap())
            .or_insert((e.seq, e.task_id.unwrap()));
        if e.seq > entry.0 {
            *entry = (e.seq, e.task_id.unwrap());
        }
    }
    let merging: std::collections::HashSet<Uuid> =
        last_per_case.values().map(|(_, t)| *t).collect();
    let mut merge: Vec<Duration> = samples
        .iter()
        .filter(|(t, _)| merging.contains(t))
        .map(|(_, d)| *d)
        .collect();
    let mut all: Vec<Duration> = samples.iter().map(|(_, d)| *d).collect();
    println!(
        "  {} submissions in {:.1} s: {unique} new opinions = {:.0} opinions/s, and {} duplicate replays answered beside them ({:.0} submissions/s in all); latency p50 {:.1} ms, p99 {:.1} ms; merge (last opinion) p99 {:.1} ms",
        samples.len(),
        elapsed.as_secs_f64(),
        unique as f64 / elapsed.as_secs_f64(),
        duplicates,
        samples.len() as f64 / elapsed.as_secs_f64(),
        percentile_ms(&mut all, 50.0),
        percentile_ms(&mut all, 99.0),
        percentile_ms(&mut merge, 99.0),
    );
    println!(
        "  correctness: {} — {opinions} opinions for {unique} tasks, {} cases moved once each of {cases}, {waiting} awaiting decision",
        if gate { "PASS" } else { "FAIL" },
        per_case.values().filter(|n| **n == 1).count(),
    );
    bench.drop_all().await;
    assert!(gate, "W2 correctness gate failed");
}
