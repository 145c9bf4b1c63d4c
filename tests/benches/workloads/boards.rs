//! The boards over the W3 data: how long `leadershipBoard` and one department's
//! `departmentBoard` take to answer with every open clock counted (median and worst of 5 runs,
//! after one warm-up), as the engine answers them for a GraphQL request.

use lianban_engine::{Actor, Engine, Role};
use lianban_entity::department;
use sea_orm::EntityTrait;
use std::time::Instant;

async fn timed<F, Fut, T>(runs: usize, mut f: F) -> (f64, f64)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    f().await; // warm-up
    let mut ms: Vec<f64> = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        f().await;
        ms.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    ms.sort_by(f64::total_cmp);
    (ms[ms.len() / 2], ms[ms.len() - 1])
}

/// Prints the boards' response times for a centre with `open` open task clocks.
pub async fn measure(engine: &Engine, open: i64) {
    let departments = department::Entity::find().all(engine.db()).await.unwrap();
    let leader = Actor {
        staff_id: uuid::Uuid::now_v7(),
        department_id: departments[0].id,
        roles: lianban_rules::RoleSet::of(&[Role::Leader]),
    };
    let (median, worst) = timed(5, || async {
        engine.leadership_board(&leader).await.unwrap();
    })
    .await;
    println!(
        "  leadershipBoard with {open} open tasks: median {median:.0} ms, worst {worst:.0} ms"
    );
    let busiest = departments
        .iter()
        .find(|d| d.code == "XFJY")
        .unwrap_or(&departments[0]);
    let (median, worst) = timed(5, || async {
        engine.department_board(&leader, busiest.id).await.unwrap();
    })
    .await;
    println!(
        "  departmentBoard({}) with {open} open tasks: median {median:.0} ms, worst {worst:.0} ms",
        busiest.code
    );
}
