//! Racing writers: the last opinions of 50 cases arrive at the same instant — each task answered
//! twice at once, by its assignee and its department head — and every case moves to
//! AWAITING_DECISION exactly once, with exactly one opinion per task.

use crate::support::code;
use crate::support::flows;
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::Barrier;

const CASES: usize = 50;

on_both_databases! {
    async fn racing_last_opinions_of_fifty_cases_move_each_case_exactly_once(app: TestApp) {
        let app = Arc::new(app);
        let window = app.login("scjg.window").await;
        let mut tokens = HashMap::new();
        for who in ["xfjy.a", "sthj.a", "wsjk.a", "xfjy.head", "sthj.head", "wsjk.head"] {
            tokens.insert(who.to_owned(), app.login(who).await);
        }
        let mut cases = Vec::new();
        for _ in 0..CASES {
            let (id, _) = flows::open_case(&app, &window, "JOINT-001").await;
            let (_, tasks) = flows::accept(&app, &window, &id).await;
            cases.push((id, tasks));
        }
        let requests: Vec<(String, String)> = cases
            .iter()
            .flat_map(|(_, tasks)| tasks.iter())
            .flat_map(|t| {
                let head = t.assignee.replace(".a", ".head");
                [(t.id.clone(), tokens[&t.assignee].clone()), (t.id.clone(), tokens[&head].clone())]
            })
            .collect();
        let barrier = Arc::new(Barrier::new(requests.len()));
        let approve = crate::support::readme::operation("Approve");
        let mut racers = tokio::task::JoinSet::new();
        for (task_id, token) in requests {
            let (app, barrier) = (app.clone(), barrier.clone());
            racers.spawn(async move {
                barrier.wait().await;
                app.post(Some(&token), approve, json!({ "taskId": task_id })).await
            });
        }
        let answers = racers.join_all().await;
        let won = answers.iter().filter(|a| a.get("errors").is_none()).count();
        let lost: Vec<&str> = answers.iter().filter(|a| a.get("errors").is_some()).map(|a| code(&a["errors"][0])).collect();
        assert_eq!(won, CASES * 3, "one opinion per task");
        assert!(lost.iter().all(|c| *c == "INVALID_STATE"), "{lost:?}");

        for (id, _) in &cases {
            let case = flows::case(&app, &window, id, "status opinions { id } timeline { kind }").await;
            assert_eq!(case["status"], "AWAITING_DECISION");
            assert_eq!(case["opinions"].as_array().unwrap().len(), 3);
            let kinds: Vec<&str> = case["timeline"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
            assert_eq!(kinds.iter().filter(|k| **k == "CASE_AWAITING_DECISION").count(), 1, "{id}");
            assert_eq!(kinds.iter().filter(|k| **k == "OPINION_SUBMITTED").count(), 3, "{id}");
        }
    }
}
