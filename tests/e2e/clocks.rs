//! Statutory clocks through GraphQL: due times, remaining time and lights on cases and tasks,
//! and special procedures that pause them.

use crate::support::flows;
use crate::support::{code, monday_nine};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

const CLOCKS: &str = "query($id: ID!) { case(id: $id) { status dueAt light provisional remaining { minutes overdue text } pauses { from to reason }
    clock { unit budget state consumedMinutes }
    tasks { dueAt light remaining { minutes } pauses { from to } clock { state } } } }";

fn at(value: &Value) -> DateTime<Utc> {
    value.as_str().unwrap().parse().unwrap()
}

async fn read(app: &crate::support::TestApp, token: &str, case_id: &str) -> Value {
    let case = app.ok(Some(token), CLOCKS, json!({ "id": case_id })).await["case"].clone();
    let readme = app
        .readme(Some(token), "CaseClock", json!({ "id": case_id }))
        .await["case"]
        .clone();
    for field in ["dueAt", "light", "provisional", "remaining", "pauses"] {
        assert_eq!(
            readme[field], case[field],
            "README CaseClock agrees on {field}"
        );
    }
    case
}

const SUSPEND: &str = "mutation($c: ID!, $days: Int!, $basis: String!) { suspendCase(input: { caseId: $c, procedure: EXPERT_REVIEW, reason: \"组织专家评审油烟治理方案\", legalBasis: $basis, expectedDays: $days }) { status } }";
const RESUME: &str = "mutation($c: ID!) { resumeCase(caseId: $c) { status dueAt } }";

on_both_databases! {
    async fn cases_and_tasks_show_due_time_remaining_time_and_light(app: TestApp) {
        let (window, case_id, _, _) = flows::joint_case_in_review(&app).await;
        let case = read(&app, &window, &case_id).await;
        // Accepted Monday 23 Nov 09:00: 10 working days end Monday 7 Dec 18:00; today's 7 office
        // hours plus 10 days of 8 hours remain.
        assert_eq!(at(&case["dueAt"]).to_rfc3339(), "2026-12-07T10:00:00+00:00");
        assert_eq!(case["remaining"]["minutes"], 7 * 60 + 10 * 480);
        assert_eq!(case["remaining"]["text"], "剩余 10 个工作日 7 小时");
        assert_eq!((case["light"].as_str(), case["provisional"].as_bool()), (Some("GREEN"), Some(false)));
        assert_eq!(case["clock"], json!({ "unit": "WORKING_DAYS", "budget": 10, "state": "RUNNING", "consumedMinutes": 0 }));
        assert_eq!(case["tasks"][0]["remaining"]["minutes"], 7 * 60 + 5 * 480);

        // Friday 27 Nov 18:00: each department has one working day left — yellow.
        app.clock.set(monday_nine() + Duration::days(4) + Duration::hours(9));
        let window = app.login("scjg.window").await; // sign-in tokens last 12 hours
        let case = read(&app, &window, &case_id).await;
        assert_eq!(case["tasks"][0]["light"], "YELLOW");
        assert_eq!(case["light"], "GREEN");

        // Tuesday 1 Dec 09:00: the departments overran their own 5 days — red, while the case
        // itself is still in time.
        app.clock.set(monday_nine() + Duration::days(8));
        let window = app.login("scjg.window").await;
        let case = read(&app, &window, &case_id).await;
        for task in case["tasks"].as_array().unwrap() {
            assert_eq!(task["light"], "RED");
            assert_eq!(task["remaining"]["minutes"], -60);
        }
        assert_eq!(case["light"], "GREEN");
        assert_eq!(case["remaining"]["overdue"], false);
    }

    async fn a_special_procedure_pauses_every_clock_and_resuming_moves_each_due_time(app: TestApp) {
        let (_, case_id, _, _) = flows::joint_case_in_review(&app).await;
        // Tuesday 24 Nov 09:00: an expert review starts.
        app.clock.set(monday_nine() + Duration::days(1));
        let window = app.login("scjg.window").await; // sign-in tokens last 12 hours
        let before = read(&app, &window, &case_id).await;
        let data = app.readme(Some(&window), "SuspendCase", json!({ "caseId": case_id })).await;
        assert_eq!(data["suspendCase"]["status"], "SUSPENDED");
        assert_eq!(data["suspendCase"]["pauses"][0]["from"], "2026-11-24T01:00:00+00:00");

        // Friday 27 Nov 09:00: three working days later, nothing has been consumed meanwhile.
        app.clock.set(monday_nine() + Duration::days(4));
        let window = app.login("scjg.window").await;
        let during = read(&app, &window, &case_id).await;
        assert_eq!(during["clock"]["state"], "PAUSED");
        assert_eq!(during["remaining"], before["remaining"], "the remaining time stands still");
        assert_eq!(during["tasks"][0]["remaining"], before["tasks"][0]["remaining"]);
        assert_eq!(during["pauses"][0]["to"], Value::Null);
        assert!(during["pauses"][0]["reason"].as_str().unwrap().contains("专家评审"));

        let resumed = app.readme(Some(&window), "ResumeCase", json!({ "caseId": case_id })).await;
        assert_eq!(resumed["resumeCase"]["status"], "IN_REVIEW");
        let after = read(&app, &window, &case_id).await;
        // Paused Tue, Wed, Thu: every due time moves by exactly three working days.
        assert_eq!(at(&after["dueAt"]).to_rfc3339(), "2026-12-10T10:00:00+00:00");
        for task in after["tasks"].as_array().unwrap() {
            assert_eq!(at(&task["dueAt"]).to_rfc3339(), "2026-12-03T10:00:00+00:00");
            assert_eq!(task["clock"]["state"], "RUNNING");
            assert!(task["pauses"][0]["to"].is_string());
        }
        assert_eq!(after["remaining"], before["remaining"]);
        let (_, timeline) = flows::status_and_timeline(&app, &window, &case_id).await;
        assert_eq!(&timeline[timeline.len() - 2..], ["CASE_SUSPENDED", "CASE_RESUMED"]);
    }

    async fn a_resume_without_a_pause_and_an_overlapping_pause_are_refused(app: TestApp) {
        let (window, case_id, _, _) = flows::joint_case_in_review(&app).await;
        let untouched = read(&app, &window, &case_id).await;
        let error = app.fails(Some(&window), RESUME, json!({ "c": case_id })).await;
        assert_eq!(code(&error), "INVALID_STATE");
        let error = app.fails(Some(&window), SUSPEND, json!({ "c": case_id, "days": 3, "basis": " " })).await;
        assert_eq!((code(&error), error["extensions"]["field"].as_str()), ("INVALID_INPUT", Some("legalBasis")));
        let error = app.fails(Some(&window), SUSPEND, json!({ "c": case_id, "days": 0, "basis": "第四十五条" })).await;
        assert_eq!(code(&error), "INVALID_INPUT");
        assert_eq!(read(&app, &window, &case_id).await, untouched, "nothing was written");

        app.ok(Some(&window), SUSPEND, json!({ "c": case_id, "days": 3, "basis": "第四十五条" })).await;
        let paused = read(&app, &window, &case_id).await;
        let error = app.fails(Some(&window), SUSPEND, json!({ "c": case_id, "days": 3, "basis": "第四十五条" })).await;
        assert_eq!(code(&error), "INVALID_STATE");
        assert_eq!(read(&app, &window, &case_id).await, paused, "no second pause");
        let reviewer = app.login("xfjy.a").await;
        let error = app.fails(Some(&reviewer), RESUME, json!({ "c": case_id })).await;
        assert_eq!(code(&error), "FORBIDDEN");
    }

    async fn an_immediate_case_turns_yellow_with_ten_minutes_left_and_red_after(app: TestApp) {
        // Accepted 11:50: due 14:20 after the lunch break.
        app.clock.set(monday_nine() + Duration::minutes(170));
        let window = app.login("scjg.window").await;
        let (case_id, _) = flows::open_case(&app, &window, "SCJG-IMM-001").await;
        flows::accept(&app, &window, &case_id).await;
        let case = read(&app, &window, &case_id).await;
        assert_eq!(at(&case["dueAt"]), monday_nine() + Duration::minutes(320));
        assert_eq!(case["remaining"]["text"], "剩余 30 分钟");
        app.clock.set(monday_nine() + Duration::minutes(310));
        assert_eq!(read(&app, &window, &case_id).await["light"], "YELLOW");
        app.clock.set(monday_nine() + Duration::minutes(321));
        let late = read(&app, &window, &case_id).await;
        assert_eq!((late["light"].as_str(), late["remaining"]["text"].as_str()), (Some("RED"), Some("已超期 1 分钟")));
    }
}
