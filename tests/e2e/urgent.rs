//! 急事急办 — an urgent case overtakes the queue: the lead window marks it with a reason, its
//! tasks take the matter's shorter review limit and come first in every reviewer's list, the
//! case list and the department's board, and their reminder comes a working day earlier.

use crate::support::{code, flows};
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{Value, json};

const MARK: &str = "mutation($c: ID!, $reason: String!) { markCaseUrgent(caseId: $c, category: MAJOR_PROJECT, reason: $reason) { urgent urgentCategory urgentReason tasks { reviewLimit urgent dueAt } } }";
const MY_TASKS: &str = "query($after: String) { myTasks(filter: {status: OPEN}, first: 1, after: $after) { nodes { urgent reviewLimit dueAt case { number } } pageInfo { endCursor hasNextPage } } }";

/// A Shanghai-local instant in late 2026.
fn at(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, hour, minute, 0)
        .unwrap()
        - Duration::hours(8)
}

/// The case numbers of xfjy.a's open tasks, a page of one at a time, following the cursor.
async fn queue_of_fire_reviewer(app: &crate::support::TestApp) -> Vec<(String, Value)> {
    let token = app.login("xfjy.a").await;
    let mut after = Value::Null;
    let mut out = Vec::new();
    loop {
        let page = app
            .ok(Some(&token), MY_TASKS, json!({ "after": after }))
            .await["myTasks"]
            .clone();
        for node in page["nodes"].as_array().unwrap() {
            out.push((
                node["case"]["number"].as_str().unwrap().to_owned(),
                node.clone(),
            ));
        }
        if page["pageInfo"]["hasNextPage"] != true {
            return out;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
}

on_both_databases! {
    async fn an_urgent_case_overtakes_the_queue_with_a_shorter_limit_and_an_earlier_reminder(app: TestApp) {
        let (window, _, older, _) = flows::joint_case_in_review(&app).await;
        let (_, newer_id, newer, _) = flows::joint_case_in_review(&app).await;
        let before: Vec<String> = queue_of_fire_reviewer(&app).await.into_iter().map(|(n, _)| n).collect();
        assert_eq!(before, vec![older.clone(), newer.clone()], "oldest first while nothing is urgent");

        // Only the lead window marks it, and only with a reason.
        let reviewer = app.login("xfjy.a").await;
        let refused = app.fails(Some(&reviewer), MARK, json!({ "c": newer_id, "reason": "重大项目" })).await;
        assert_eq!(code(&refused), "FORBIDDEN");
        let refused = app.fails(Some(&window), MARK, json!({ "c": newer_id, "reason": "  " })).await;
        assert_eq!(code(&refused), "INVALID_INPUT");
        let marked = app.ok(Some(&window), MARK, json!({ "c": newer_id, "reason": "市重点招商引资项目" })).await["markCaseUrgent"].clone();
        assert_eq!((marked["urgent"].clone(), marked["urgentCategory"].clone()), (json!(true), json!("MAJOR_PROJECT")));
        assert_eq!(marked["urgentReason"], "市重点招商引资项目");
        // The matter's urgent review limit is 2 working days (5 otherwise): from Monday 09:00
        // the tasks are due Wednesday 18:00.
        for task in marked["tasks"].as_array().unwrap() {
            assert_eq!((task["reviewLimit"].clone(), task["urgent"].clone()), (json!(2), json!(true)), "{task}");
            assert_eq!(task["dueAt"], "2026-11-25T10:00:00+00:00", "{task}");
        }
        let again = app.ok(Some(&window), MARK, json!({ "c": newer_id, "reason": "再次标记" })).await;
        assert_eq!(again["markCaseUrgent"]["urgentReason"], "市重点招商引资项目", "marking twice changes nothing");

        // First in the reviewer's list (paged one by one through the cursor), the case list and
        // the department's board.
        let after = queue_of_fire_reviewer(&app).await;
        let numbers: Vec<&str> = after.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(numbers, vec![newer.as_str(), older.as_str()], "the urgent case overtakes");
        assert_eq!(after[0].1["urgent"], true);
        assert_eq!(after[1].1["reviewLimit"], 5, "the other case keeps its limit");
        let cases = app.ok(Some(&window), "{ cases(first: 2) { nodes { number urgent } } }", json!({})).await;
        assert_eq!(cases["cases"]["nodes"][0]["number"], newer.as_str());
        let head = app.login("xfjy.head").await;
        let fire = app.ok(Some(&head), "{ me { department { id } } }", json!({})).await["me"]["department"]["id"].clone();
        let board = app.ok(Some(&head), "query($d: ID!) { departmentBoard(departmentId: $d) { queue { urgent case { number } } } }", json!({ "d": fire })).await;
        assert_eq!(board["departmentBoard"]["queue"][0]["case"]["number"], newer.as_str());
        assert_eq!(board["departmentBoard"]["queue"][0]["urgent"], true);

        // The reviewers hear of it.
        app.workers.send(app.engine.now()).await.unwrap();
        let told: Vec<_> = app.workers.mailer.sent().into_iter().filter(|m| m.subject.contains("急件")).collect();
        assert_eq!(told.len(), 3, "one mail per department's reviewer");
        assert!(told.iter().any(|m| m.to == "xfjy.a@lianban.example"));
        assert!(told[0].text.contains("重大投资项目") && told[0].text.contains("急件审查时限已压缩为2个工作日"), "{}", told[0].text);
        assert!(told[0].text.contains(&format!("办件编号：{newer}")), "{}", told[0].text);

        // The reminder comes two working days before the due time (Monday 18:00) instead of
        // one (Tuesday 18:00); the ordinary case is not reminded yet.
        let now = at(11, 23, 18, 1);
        app.clock.set(now);
        let fired = app.workers.tick(now).await.unwrap().sweep.fired;
        assert_eq!(fired.get("reminder"), Some(&3), "{fired:?}");
        let reminded: Vec<_> = app.workers.mailer.sent().into_iter().filter(|m| m.subject.contains("剩余办理时间")).collect();
        assert!(reminded.iter().all(|m| m.subject.contains(&newer) || m.text.contains(&newer)), "only the urgent case is reminded");
        assert!(!reminded.iter().any(|m| m.text.contains(&older)));

        // The timeline records who marked it and why.
        let (_, timeline) = flows::status_and_timeline(&app, &window, &newer_id).await;
        assert!(timeline.iter().any(|k| k == "CASE_MARKED_URGENT"), "{timeline:?}");
    }

    async fn a_case_marked_urgent_at_receipt_is_accepted_with_the_short_limit_and_a_decided_one_cannot_be(app: TestApp) {
        let window = app.login("scjg.window").await;
        let (id, _) = flows::open_case(&app, &window, "JOINT-001").await;
        let marked = app.ok(Some(&window), "mutation($c: ID!) { markCaseUrgent(caseId: $c, category: VULNERABLE_APPLICANT, reason: \"申请人年逾八旬\") { status urgent tasks { id } } }", json!({ "c": id })).await;
        assert_eq!(marked["markCaseUrgent"]["status"], "RECEIVED");
        assert_eq!(marked["markCaseUrgent"]["tasks"], json!([]));
        flows::accept(&app, &window, &id).await;
        let case = flows::case(&app, &window, &id, "urgent tasks { urgent reviewLimit dueAt }").await;
        assert_eq!(case["tasks"].as_array().unwrap().len(), 3);
        for task in case["tasks"].as_array().unwrap() {
            assert_eq!((task["urgent"].clone(), task["reviewLimit"].clone(), task["dueAt"].clone()), (json!(true), json!(2), json!("2026-11-25T10:00:00+00:00")));
        }
        // A decided case is no longer handled.
        let (_, decided, _, tasks) = flows::joint_case_in_review(&app).await;
        flows::approve_all(&app, &tasks).await;
        app.readme(Some(&window), "Decide", json!({ "caseId": decided })).await;
        let refused = app.fails(Some(&window), MARK, json!({ "c": decided, "reason": "太迟了" })).await;
        assert_eq!(code(&refused), "INVALID_STATE");
    }
}
