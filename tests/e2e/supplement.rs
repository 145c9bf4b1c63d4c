//! 一次性告知: the one-time supplement notice merges every department's missing items, stops
//! every clock, and the applicant's material starts them again.

use crate::support::flows::{self, TaskRef};
use crate::support::{code, monday_nine};
use chrono::Duration;
use serde_json::json;

fn issue() -> &'static str {
    crate::support::readme::operation("IssueSupplementNotice")
}
const RESUBMIT: &str = "mutation($c: ID!) { resubmitMaterials(input: { caseId: $c, note: \"申请人已补齐材料\" }) { status } }";
const CLOCKS: &str = "status dueAt clock { state } tasks { status dueAt clock { state } assignee { username } } timeline { kind }";

fn by(tasks: &[TaskRef], assignee: &str) -> TaskRef {
    tasks
        .iter()
        .find(|t| t.assignee == assignee)
        .unwrap()
        .clone()
}

on_both_databases! {
    async fn the_one_time_notice_merges_every_departments_items_and_stops_every_clock(app: TestApp) {
        let (window, case_id, _, tasks) = flows::joint_case_in_review(&app).await;
        let fire = by(&tasks, "xfjy.a");
        let fire_token = app.login(&fire.assignee).await;
        let asked = app.readme(Some(&fire_token), "AskForMaterial", json!({ "input": { "taskId": fire.id, "kind": "NEEDS_SUPPLEMENT", "missingItems": ["消防设计图纸（盖章）", "营业执照副本"] } })).await;
        assert_eq!(asked["submitOpinion"]["task"]["status"], "AWAITING_SUPPLEMENT");
        flows::opinion(&app, &by(&tasks, "wsjk.a"), json!({ "kind": "NEEDS_SUPPLEMENT", "missingItems": ["营业执照副本。", "从业人员健康证明"] })).await;
        flows::approve(&app, &by(&tasks, "sthj.a")).await;
        let waiting = flows::case(&app, &window, &case_id, CLOCKS).await;
        assert_eq!(waiting["status"], "AWAITING_DECISION", "no task is open any more");
        let decide = app.fails(Some(&window), crate::support::readme::operation("Decide"), json!({ "caseId": case_id })).await;
        assert_eq!(code(&decide), "INVALID_STATE", "no approval while material is missing");

        // Tuesday 09:00 the lead issues one notice with everything.
        app.clock.set(monday_nine() + Duration::days(1));
        let window = app.login("scjg.window").await;
        let before = flows::case(&app, &window, &case_id, CLOCKS).await;
        let issued = app.ok(Some(&window), issue(), json!({ "input": { "caseId": case_id, "windowItems": ["营业执照副本"] } })).await;
        let case = &issued["issueSupplementNotice"];
        assert_eq!(case["status"], "SUSPENDED");
        let notice = case["notices"].as_array().unwrap().iter().find(|n| n["kind"] == "SUPPLEMENT").unwrap();
        let items = notice["data"]["items"].as_array().unwrap();
        assert_eq!(items.len(), 3, "营业执照副本 asked three times, listed once: {items:?}");
        assert_eq!(items[0]["item"], "营业执照副本");
        assert_eq!(items[0]["askedBy"], json!(["受理窗口", "消防救援大队", "卫生健康局"]));
        assert_eq!(items[1]["askedBy"], json!(["消防救援大队"]));
        assert_eq!(items[2]["askedBy"], json!(["卫生健康局"]));
        let body = notice["body"].as_str().unwrap();
        assert!(body.contains("一次性告知") && body.contains("1. 营业执照副本（提出单位：受理窗口、消防救援大队、卫生健康局）"), "{body}");
        let paused = flows::case(&app, &window, &case_id, CLOCKS).await;
        assert_eq!(paused["clock"]["state"], "PAUSED");

        // Friday 09:00 (three working days later) the material arrives.
        app.clock.set(monday_nine() + Duration::days(4));
        let window = app.login("scjg.window").await;
        let back = app.ok(Some(&window), RESUBMIT, json!({ "c": case_id })).await;
        assert_eq!(back["resubmitMaterials"]["status"], "IN_REVIEW");
        let after = flows::case(&app, &window, &case_id, CLOCKS).await;
        assert_eq!(after["clock"]["state"], "RUNNING");
        let moved: chrono::DateTime<chrono::Utc> = after["dueAt"].as_str().unwrap().parse().unwrap();
        let was: chrono::DateTime<chrono::Utc> = before["dueAt"].as_str().unwrap().parse().unwrap();
        assert_eq!(moved.to_rfc3339(), "2026-12-10T10:00:00+00:00", "paused Tue–Thu: three working days later than {was}");
        let statuses: Vec<(&str, &str)> = after["tasks"].as_array().unwrap().iter()
            .map(|t| (t["assignee"]["username"].as_str().unwrap(), t["status"].as_str().unwrap())).collect();
        assert_eq!(statuses, [("xfjy.a", "OPEN"), ("sthj.a", "RESOLVED"), ("wsjk.a", "OPEN")]);
        let timeline: Vec<&str> = after["timeline"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
        for kind in ["TASK_AWAITING_SUPPLEMENT", "SUPPLEMENT_REQUESTED", "MATERIALS_RESUBMITTED", "TASK_REOPENED"] {
            assert!(timeline.contains(&kind), "{kind} in {timeline:?}");
        }

        // The two departments answer again; the case can be decided.
        flows::approve(&app, &by(&tasks, "xfjy.a")).await;
        flows::approve(&app, &by(&tasks, "wsjk.a")).await;
        let decided = app.readme(Some(&window), "Decide", json!({ "caseId": case_id })).await;
        assert_eq!(decided["decideCase"]["status"], "DECIDED");
    }

    async fn a_second_request_must_say_why_it_depends_on_the_first_answer(app: TestApp) {
        let (window, case_id, _, _) = flows::joint_case_in_review(&app).await;
        app.ok(Some(&window), issue(), json!({ "input": { "caseId": case_id, "windowItems": ["经营场所租赁合同"] } })).await;
        app.ok(Some(&window), RESUBMIT, json!({ "c": case_id })).await;
        let before = flows::case(&app, &window, &case_id, "status notices { kind }").await;
        let error = app.fails(Some(&window), issue(), json!({ "input": { "caseId": case_id, "windowItems": ["租赁合同出租方产权证明"] } })).await;
        assert_eq!((code(&error), error["extensions"]["field"].as_str()), ("INVALID_INPUT", Some("reason")));
        assert_eq!(flows::case(&app, &window, &case_id, "status notices { kind }").await, before, "nothing written");
        let reason = "租赁合同显示出租方为转租人，需补充产权人同意转租的证明";
        let second = app.ok(Some(&window), issue(), json!({ "input": { "caseId": case_id, "windowItems": ["产权人同意转租证明"], "reason": reason } })).await;
        let notices = second["issueSupplementNotice"]["notices"].as_array().unwrap();
        let last = notices.iter().rfind(|n| n["kind"] == "SUPPLEMENT").unwrap();
        assert!(last["body"].as_str().unwrap().contains(reason));
        assert_eq!(last["data"]["secondRequestReason"], reason);
    }

    async fn before_acceptance_the_window_has_five_working_days_to_ask(app: TestApp) {
        let window = app.login("scjg.window").await;
        // Asked in time: the case waits, then is received again, and the clock starts at acceptance.
        let (early, _) = flows::open_case(&app, &window, "SCJG-PRM-001").await;
        let asked = app.ok(Some(&window), issue(), json!({ "input": { "caseId": early, "windowItems": ["食品安全管理制度"] } })).await;
        assert_eq!(asked["issueSupplementNotice"]["status"], "SUPPLEMENT_REQUIRED");
        let accept_now = app.fails(Some(&window), crate::support::readme::operation("AcceptCase"), json!({ "caseId": early })).await;
        assert_eq!(code(&accept_now), "INVALID_STATE");
        let back = app.ok(Some(&window), RESUBMIT, json!({ "c": early })).await;
        assert_eq!(back["resubmitMaterials"]["status"], "RECEIVED");

        // Not asked within five working days: the case counts as accepted on the day it was received.
        let (late, _) = flows::open_case(&app, &window, "SCJG-PRM-001").await;
        app.clock.set(monday_nine() + Duration::days(8)); // Tuesday of the next week: 6 working days later
        let window = app.login("scjg.window").await;
        let error = app.fails(Some(&window), issue(), json!({ "input": { "caseId": late, "windowItems": ["x"] } })).await;
        assert_eq!(code(&error), "INVALID_STATE");
        assert!(error["message"].as_str().unwrap().contains("§32"));
        let (accepted, _) = flows::accept(&app, &window, &late).await;
        assert_eq!(accepted["acceptedAt"], "2026-11-23T01:00:00+00:00", "accepted on the day of receipt");
        assert_eq!(accepted["dueAt"], "2026-12-07T10:00:00+00:00", "10 working days from receipt");
        let notices = flows::case(&app, &window, &late, "notices { kind body }").await;
        assert!(notices["notices"][0]["body"].as_str().unwrap().contains("第三十二条"));
        let (on_time, _) = flows::accept(&app, &window, &early).await;
        assert_eq!(on_time["acceptedAt"], "2026-12-01T01:00:00+00:00");
    }

    async fn a_case_waiting_for_material_is_not_resumed_like_a_special_procedure(app: TestApp) {
        let (window, case_id, _, _) = flows::joint_case_in_review(&app).await;
        app.ok(Some(&window), issue(), json!({ "input": { "caseId": case_id, "windowItems": ["身份证复印件"] } })).await;
        let error = app.fails(Some(&window), crate::support::readme::operation("ResumeCase"), json!({ "caseId": case_id })).await;
        assert_eq!(code(&error), "INVALID_STATE");
        let nothing = app.fails(Some(&window), issue(), json!({ "input": { "caseId": case_id, "windowItems": [], "reason": "x" } })).await;
        assert_eq!(code(&nothing), "INVALID_STATE", "already suspended");
    }

    async fn the_lead_can_answer_a_reject_with_a_supplement_and_the_department_reviews_again(app: TestApp) {
        let (window, case_id, _, tasks) = flows::joint_case_in_review(&app).await;
        flows::approve(&app, &by(&tasks, "xfjy.a")).await;
        flows::approve(&app, &by(&tasks, "wsjk.a")).await;
        let env = by(&tasks, "sthj.a");
        flows::opinion(&app, &env, json!({ "kind": "REJECT", "reason": "未提供油烟净化设施检测报告", "legalBasis": "《大气污染防治法》第八十一条" })).await;
        let issued = app.ok(Some(&window), issue(), json!({ "input": { "caseId": case_id, "windowItems": ["油烟净化设施检测报告"] } })).await;
        assert_eq!(issued["issueSupplementNotice"]["status"], "SUSPENDED");
        let waiting = flows::case(&app, &window, &case_id, CLOCKS).await;
        let statuses: Vec<&str> = waiting["tasks"].as_array().unwrap().iter().map(|t| t["status"].as_str().unwrap()).collect();
        assert_eq!(statuses, ["RESOLVED", "AWAITING_SUPPLEMENT", "RESOLVED"], "the objecting department will review again");
        let back = app.ok(Some(&window), RESUBMIT, json!({ "c": case_id })).await;
        assert_eq!(back["resubmitMaterials"]["status"], "IN_REVIEW");
        let env_token = app.login("sthj.a").await;
        let queue = app.readme(Some(&env_token), "MyTasks", json!({})).await;
        assert_eq!(queue["myTasks"]["edges"].as_array().unwrap().len(), 1, "the task is back in its queue");
        flows::approve(&app, &env).await;
        let decided = app.readme(Some(&window), "Decide", json!({ "caseId": case_id })).await;
        assert_eq!(decided["decideCase"]["status"], "DECIDED");
    }
}
