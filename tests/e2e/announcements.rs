//! 办结公告 — anybody reads the decided cases of the matters that must be published, without
//! signing in, and no personal data appears.

use crate::support::{code, flows};
use serde_json::json;

const PUBLIC: &str = "query($first: Int, $after: String) { publicAnnouncements(first: $first, after: $after) { edges { cursor node { number matterCode matterName department outcome decidedAt } } pageInfo { hasNextPage } } }";

on_both_databases! {
    async fn decided_joint_cases_are_published_without_personal_data(app: TestApp) {
        // Two joint cases decided (the demo's joint matter must be published), one still in
        // review, and an immediate case decided (its matter need not be published).
        let mut decided = Vec::new();
        for _ in 0..2 {
            let (window, case_id, number, tasks) = flows::joint_case_in_review(&app).await;
            flows::approve_all(&app, &tasks).await;
            let out = app.readme(Some(&window), "Decide", json!({ "caseId": case_id })).await;
            assert_eq!(out["decideCase"]["status"], "DECIDED");
            decided.push(number);
            app.clock.advance(chrono::Duration::minutes(5));
        }
        let (_, _, in_review, _) = flows::joint_case_in_review(&app).await;
        let window = app.login("scjg.window").await;
        let (immediate, _) = flows::open_case(&app, &window, "SCJG-IMM-001").await;
        flows::accept(&app, &window, &immediate).await;
        app.readme(Some(&window), "Decide", json!({ "caseId": immediate })).await;

        // No token.
        let body = app.post(None, PUBLIC, json!({})).await;
        assert!(body.get("errors").is_none(), "{body:#}");
        let edges = body["data"]["publicAnnouncements"]["edges"].as_array().unwrap().clone();
        let numbers: Vec<&str> = edges.iter().map(|e| e["node"]["number"].as_str().unwrap()).collect();
        assert_eq!(numbers, [decided[1].as_str(), decided[0].as_str()], "newest decision first; nothing else");
        assert!(!numbers.contains(&in_review.as_str()));
        let first = &edges[0]["node"];
        assert_eq!(first["matterCode"], "JOINT-001");
        assert_eq!(first["outcome"], "APPROVED");
        assert_eq!(first["department"], "市场监管局");
        let text = body.to_string();
        for personal in ["李四", "110101199003071234", "13900139000"] {
            assert!(!text.contains(personal), "{personal} is published: {text}");
        }

        // A page at a time.
        let page = app.ok(None, PUBLIC, json!({ "first": 1 })).await;
        assert_eq!(page["publicAnnouncements"]["pageInfo"]["hasNextPage"], true);
        let cursor = page["publicAnnouncements"]["edges"][0]["cursor"].clone();
        let next = app.ok(None, PUBLIC, json!({ "first": 1, "after": cursor })).await;
        assert_eq!(next["publicAnnouncements"]["edges"][0]["node"]["number"], decided[0].as_str());
        assert_eq!(next["publicAnnouncements"]["pageInfo"]["hasNextPage"], false);
        let refused = app.fails(None, PUBLIC, json!({ "first": 1000 })).await;
        assert_eq!(code(&refused), "INVALID_INPUT");
    }
}
