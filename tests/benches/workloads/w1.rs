//! W1 — open and accept joint cases with five co-handling departments each (当场受理: one
//! transaction), with 1, 4 and 16 clients; in the same run and database, the same rows written
//! by plain SQL — the ceiling. Target: at least 50% of the ceiling.

use crate::ceiling::raw_open_and_accept;
use crate::setup::{self, Backend, MATTER};
use lianban_engine::cases::{Applicant, OpenCase};
use lianban_entity::staff;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// Each side runs this long per round; rounds alternate so drift on a shared machine hits both.
const WINDOW: Duration = Duration::from_secs(2);
const ROUNDS: usize = 3;

/// Runs `work` on `clients` tasks for [`WINDOW`]; returns completed operations per second.
async fn rate<F, Fut>(clients: u32, work: F) -> f64
where
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let work = Arc::new(work);
    let done = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let mut handles = Vec::new();
    for client in 0..clients {
        let (work, done, stop) = (work.clone(), done.clone(), stop.clone());
        handles.push(tokio::spawn(async move {
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                work(u64::from(client) * 1_000_000_000 + n).await;
                n += 1;
                done.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await; // warm up
    let (start_count, started) = (done.load(Ordering::Relaxed), Instant::now());
    tokio::time::sleep(WINDOW).await;
    let (end_count, elapsed) = (done.load(Ordering::Relaxed), started.elapsed());
    stop.store(true, Ordering::Relaxed);
    for h in handles {
        h.await.unwrap();
    }
    (end_count - start_count) as f64 / elapsed.as_secs_f64()
}

pub async fn run(backend: Backend) {
    println!(
        "\nW1 — open and accept a joint case with 5 co-handling departments ({}; one transaction each)",
        backend.name()
    );
    println!("  clients   engine ops/s   plain-SQL ceiling ops/s   engine / ceiling");
    for clients in [1u32, 4, 16] {
        let bench = setup::fresh(backend, clients).await;
        let engine = bench.engine.clone();
        let window = staff::Entity::find()
            .filter(staff::Column::Username.eq("scjg.window"))
            .one(engine.db())
            .await
            .unwrap()
            .unwrap();
        let actor = engine.actor(window.id).await.unwrap();
        let matter = lianban_entity::matter::Entity::find()
            .filter(lianban_entity::matter::Column::Code.eq(MATTER))
            .one(engine.db())
            .await
            .unwrap()
            .unwrap();
        let posts: Vec<(Uuid, Uuid, Uuid)> = lianban_entity::post::Entity::find()
            .all(engine.db())
            .await
            .unwrap()
            .into_iter()
            .map(|p| (p.department_id, p.id, p.a_holder_id))
            .collect();

        let posts = Arc::new(posts);
        let actor = Arc::new(actor);
        let (mut ceiling, mut measured) = (0.0, 0.0);
        for _ in 0..ROUNDS {
            let (e, m, d, w, p) = (
                engine.clone(),
                matter.id,
                window.department_id,
                window.id,
                posts.clone(),
            );
            ceiling += rate(clients, move |n| {
                let (e, p) = (e.clone(), p.clone());
                async move { raw_open_and_accept(&e, m, d, w, &p, n).await }
            })
            .await
                / ROUNDS as f64;
            let (e, a) = (engine.clone(), actor.clone());
            measured += rate(clients, move |_| {
                let (e, a) = (e.clone(), a.clone());
                async move {
                    e.open_case(
                        &a,
                        OpenCase {
                            matter_code: MATTER.to_owned(),
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
            })
            .await
                / ROUNDS as f64;
        }
        println!(
            "  {clients:>7}   {measured:>12.0}   {ceiling:>23.0}   {:>15.0}%",
            100.0 * measured / ceiling
        );
        bench.drop_all().await;
    }
}
