//! The same idempotency key returns the first result; racing writers change a case once.

use crate::support::code;
use crate::support::flows;
use serde_json::json;
use std::sync::Arc;

const OPEN_WITH_KEY: &str = "mutation($k: String!) { openCase(input: { matterCode: \"JOINT-001\", applicant: { name: \"王五\", idNumber: \"110101199003071234\", phone: \"13900139000\" }, idempotencyKey: $k }) { id number } }";

on_both_databases! {
    async fn the_same_idempotency_key_opens_one_case(app: TestApp) {
        let window = app.login("scjg.window").await;
        let first = app.readme(Some(&window), "OpenJointCase", json!({})).await;
        let again = app.readme(Some(&window), "OpenJointCase", json!({})).await;
        assert_eq!(first, again);
        let admin = app.login("admin").await;
        let cases = app.ok(Some(&admin), "{ cases { edges { node { id } } } }", json!({})).await;
        assert_eq!(cases["cases"]["edges"].as_array().unwrap().len(), 1);
    }

    async fn racing_requests_with_one_key_open_one_case(app: TestApp) {
        let app = Arc::new(app);
        let window = app.login("scjg.window").await;
        let mut racers = tokio::task::JoinSet::new();
        for _ in 0..8 {
            let (app, window) = (app.clone(), window.clone());
            racers.spawn(async move { app.ok(Some(&window), OPEN_WITH_KEY, json!({ "k": "race-1" })).await });
        }
        let results = racers.join_all().await;
        assert!(results.iter().all(|r| r == &results[0]), "{results:?}");
        let admin = app.login("admin").await;
        let cases = app.ok(Some(&admin), "{ cases { edges { node { id } } } }", json!({})).await;
        assert_eq!(cases["cases"]["edges"].as_array().unwrap().len(), 1);
    }

    async fn a_key_reused_for_another_operation_or_target_is_a_conflict_and_changes_nothing(app: TestApp) {
        let window = app.login("scjg.window").await;
        let opened = app.ok(Some(&window), OPEN_WITH_KEY, json!({ "k": "k-1" })).await;
        let first = opened["openCase"]["id"].as_str().unwrap().to_owned();
        let supplement = "mutation($c: ID!, $k: String!) { issueSupplementNotice(input: { caseId: $c, windowItems: [\"授权委托书\"], idempotencyKey: $k }) { status notices { id } } }";
        // The key that opened a case, sent again to issue a notice: another operation.
        let refused = app.fails(Some(&window), supplement, json!({ "c": first, "k": "k-1" })).await;
        assert_eq!(code(&refused), "CONFLICT", "{refused}");
        assert!(refused["message"].as_str().unwrap().contains("openCase"), "{refused}");
        let unchanged = flows::case(&app, &window, &first, "status notices { id }").await;
        assert_eq!(unchanged, json!({ "status": "RECEIVED", "notices": [] }), "no notice was issued");

        // The same operation with the same key on another case: not a retry of the first.
        let (second, _) = flows::open_case(&app, &window, "JOINT-001").await;
        let issued = app.ok(Some(&window), supplement, json!({ "c": first, "k": "sup-1" })).await;
        assert_eq!(issued["issueSupplementNotice"]["status"], "SUPPLEMENT_REQUIRED");
        let refused = app.fails(Some(&window), supplement, json!({ "c": second, "k": "sup-1" })).await;
        assert_eq!(code(&refused), "CONFLICT", "{refused}");
        let unchanged = flows::case(&app, &window, &second, "status notices { id }").await;
        assert_eq!(unchanged, json!({ "status": "RECEIVED", "notices": [] }));

        // An opinion's key sent again for another task.
        let (_, _, _, one) = flows::joint_case_in_review(&app).await;
        let (_, _, _, two) = flows::joint_case_in_review(&app).await;
        assert_eq!(one[0].assignee, two[0].assignee, "the same reviewer holds both tasks");
        let token = app.login(&one[0].assignee).await;
        let opinion = "mutation($t: ID!, $k: String!) { submitOpinion(input: { taskId: $t, kind: APPROVE, idempotencyKey: $k }) { id kind } }";
        let given = app.ok(Some(&token), opinion, json!({ "t": one[0].id, "k": "op-1" })).await;
        let replay = app.ok(Some(&token), opinion, json!({ "t": one[0].id, "k": "op-1" })).await;
        assert_eq!(given, replay, "the same key returns the first opinion, not INVALID_STATE");
        let refused = app.fails(Some(&token), opinion, json!({ "t": two[0].id, "k": "op-1" })).await;
        assert_eq!(code(&refused), "CONFLICT", "{refused}");
        let open = app.ok(Some(&token), "{ myTasks(filter: { status: OPEN }) { nodes { id } } }", json!({})).await;
        let open: Vec<&str> = open["myTasks"]["nodes"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
        assert!(open.contains(&two[0].id.as_str()), "the second task still waits for its opinion: {open:?}");
        assert!(!open.contains(&one[0].id.as_str()));

        // Permissions come before keys: a reviewer may not open a case, key or no key.
        let reviewer_open = app.fails(Some(&token), OPEN_WITH_KEY, json!({ "k": "op-1" })).await;
        assert_eq!(code(&reviewer_open), "FORBIDDEN");
    }

    async fn racing_last_opinions_move_the_case_to_awaiting_decision_once(app: TestApp) {
        let app = Arc::new(app);
        let (window, case_id, _, tasks) = flows::joint_case_in_review(&app).await;
        let mut tokens = Vec::new();
        for task in &tasks {
            tokens.push(app.login(&task.assignee).await);
        }
        let mut racers = tokio::task::JoinSet::new();
        for (task, token) in tasks.iter().cloned().zip(tokens) {
            let app = app.clone();
            racers.spawn(async move {
                app.ok(Some(&token), crate::support::readme::operation("Approve"), json!({ "taskId": task.id })).await
            });
        }
        racers.join_all().await;
        let (status, timeline) = flows::status_and_timeline(&app, &window, &case_id).await;
        assert_eq!(status, "AWAITING_DECISION");
        let moved = timeline.iter().filter(|k| *k == "CASE_AWAITING_DECISION").count();
        assert_eq!(moved, 1);
        assert_eq!(timeline.iter().filter(|k| *k == "TASK_RESOLVED").count(), 3);
    }
}

on_both_databases! {
    async fn every_creating_mutation_returns_its_first_result_for_the_same_key(app: TestApp) {
        let (window, case_id, _, tasks) = flows::joint_case_in_review(&app).await;
        let supplement = "mutation($c: ID!) { issueSupplementNotice(input: { caseId: $c, windowItems: [\"授权委托书\"], idempotencyKey: \"sup-1\" }) { status notices { id } } }";
        let first = app.ok(Some(&window), supplement, json!({ "c": case_id })).await;
        let again = app.ok(Some(&window), supplement, json!({ "c": case_id })).await;
        assert_eq!(first, again, "one notice, not two, and no INVALID_STATE");
        app.ok(Some(&window), "mutation($c: ID!) { resubmitMaterials(input: { caseId: $c }) { status } }", json!({ "c": case_id })).await;
        flows::approve_all(&app, &tasks).await;

        let leader = app.login("leader").await;
        let extend = "mutation($c: ID!) { extendDeadline(input: { caseId: $c, days: 3, reason: \"需补充核查\", idempotencyKey: \"ext-1\" }) { dueAt notices { id } } }";
        let first = app.ok(Some(&leader), extend, json!({ "c": case_id })).await;
        assert_eq!(first, app.ok(Some(&leader), extend, json!({ "c": case_id })).await);

        let decide = "mutation($c: ID!) { decideCase(input: { caseId: $c, outcome: APPROVED, idempotencyKey: \"dec-1\" }) { status notices { id } } }";
        let first = app.ok(Some(&window), decide, json!({ "c": case_id })).await;
        assert_eq!(first, app.ok(Some(&window), decide, json!({ "c": case_id })).await);

        let (other, _) = flows::open_case(&app, &window, "SCJG-PRM-001").await;
        let ret = "mutation($c: ID!) { returnCase(input: { caseId: $c, reason: \"材料不属实\", legalBasis: \"《行政许可法》第三十一条\", idempotencyKey: \"ret-1\" }) { pendingReport { id } } }";
        let first = app.ok(Some(&window), ret, json!({ "c": other })).await;
        assert_eq!(first, app.ok(Some(&window), ret, json!({ "c": other })).await, "one report");

        let (consultation, _) = flows::open_case(&app, &window, "SCJG-CON-001").await;
        let answer = "mutation($c: ID!) { answerCase(input: { caseId: $c, answer: \"可以办理\", idempotencyKey: \"ans-1\" }) { status notices { id } } }";
        let first = app.ok(Some(&window), answer, json!({ "c": consultation })).await;
        assert_eq!(first, app.ok(Some(&window), answer, json!({ "c": consultation })).await);

        let head = app.login("xfjy.head").await;
        let me = flows::staff_id(&app, "xfjy.b").await;
        let absence = "mutation($s: ID!) { recordAbsence(input: { staffId: $s, startsAt: \"2026-12-01T00:00:00Z\", endsAt: \"2026-12-02T00:00:00Z\", reason: \"病假\", idempotencyKey: \"abs-1\" }) { id } }";
        let first = app.ok(Some(&head), absence, json!({ "s": me })).await;
        assert_eq!(first, app.ok(Some(&head), absence, json!({ "s": me })).await, "not a CONFLICT with itself");
    }
}
