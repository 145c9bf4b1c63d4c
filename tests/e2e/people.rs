//! AB posts, absences, transfers, and the first responder who hears of every state change.

use crate::support::code;
use crate::support::flows::{self, TaskRef};
use chrono::Duration;
use lianban_entity::outbox;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

const ABSENCE: &str = "mutation($input: RecordAbsenceInput!) { recordAbsence(input: $input) { id startsAt endsAt reason staff { username } } }";
const TASKS: &str =
    "tasks { id status dueAt department { name } assignee { username } actingFor { username } }";

fn fire(tasks: &[TaskRef]) -> TaskRef {
    tasks
        .iter()
        .find(|t| t.department == "消防救援大队")
        .unwrap()
        .clone()
}

async fn away(app: &crate::support::TestApp, who: &str, by: &str, days: i64) -> serde_json::Value {
    let token = app.login(by).await;
    let staff = flows::staff_id(app, who).await;
    let now = app.clock_now();
    app.post(Some(&token), ABSENCE, json!({ "input": {
        "staffId": staff, "startsAt": now.to_rfc3339(), "endsAt": (now + Duration::days(days)).to_rfc3339(), "reason": "外出培训",
    } })).await
}

on_both_databases! {
    async fn new_tasks_go_to_the_b_holder_while_the_a_holder_is_away(app: TestApp) {
        let recorded = away(&app, "xfjy.a", "xfjy.head", 3).await;
        assert_eq!(recorded["data"]["recordAbsence"]["staff"]["username"], "xfjy.a");
        let (window, case_id, _, tasks) = flows::joint_case_in_review(&app).await;
        let task = fire(&tasks);
        assert_eq!(task.assignee, "xfjy.b");
        let case = flows::case(&app, &window, &case_id, TASKS).await;
        let row = case["tasks"].as_array().unwrap().iter().find(|t| t["id"] == task.id.as_str()).unwrap().clone();
        assert_eq!(row["actingFor"]["username"], "xfjy.a");
        let b = app.login("xfjy.b").await;
        let queue = app.readme(Some(&b), "MyTasks", json!({})).await;
        assert_eq!(queue["myTasks"]["edges"].as_array().unwrap().len(), 1);
        let answered = app.ok(Some(&b), "mutation($t: ID!) { submitOpinion(input: { taskId: $t, kind: APPROVE }) { actingFor { username } author { username } } }", json!({ "t": task.id })).await;
        assert_eq!(answered["submitOpinion"]["actingFor"]["username"], "xfjy.a");
        assert_eq!(answered["submitOpinion"]["author"]["username"], "xfjy.b");
    }

    async fn open_tasks_move_to_the_b_holder_when_an_absence_starts_and_back_when_it_ends(app: TestApp) {
        let (window, case_id, _, tasks) = flows::joint_case_in_review(&app).await;
        let task = fire(&tasks);
        let before = flows::case(&app, &window, &case_id, TASKS).await;
        away(&app, "xfjy.a", "xfjy.a", 2).await;
        let during = flows::case(&app, &window, &case_id, TASKS).await;
        let row = |v: &serde_json::Value| v["tasks"].as_array().unwrap().iter().find(|t| t["id"] == task.id.as_str()).unwrap().clone();
        assert_eq!(row(&during)["assignee"]["username"], "xfjy.b");
        assert_eq!(row(&during)["actingFor"]["username"], "xfjy.a");
        assert_eq!(row(&during)["dueAt"], row(&before)["dueAt"], "the deadline does not reset");

        // Two days later the absence is over; the switcher hands the task back.
        app.clock.advance(Duration::days(2) + Duration::minutes(1));
        let outcome = app.engine.switch_absences(app.clock_now()).await.unwrap();
        assert_eq!(outcome.returned, 1);
        assert_eq!(app.engine.switch_absences(app.clock_now()).await.unwrap(), Default::default(), "idempotent");
        let window = app.login("scjg.window").await;
        let after = flows::case(&app, &window, &case_id, TASKS).await;
        assert_eq!(row(&after)["assignee"]["username"], "xfjy.a");
        assert_eq!(row(&after)["actingFor"], serde_json::Value::Null);
        let (_, timeline) = flows::status_and_timeline(&app, &window, &case_id).await;
        assert_eq!(timeline.iter().filter(|k| *k == "TASK_REASSIGNED").count(), 2);
    }

    async fn a_department_with_nobody_available_alerts_the_centre_admin(app: TestApp) {
        away(&app, "xfjy.a", "xfjy.head", 3).await;
        away(&app, "xfjy.b", "xfjy.head", 3).await;
        let (_, _, _, tasks) = flows::joint_case_in_review(&app).await;
        assert_eq!(fire(&tasks).assignee, "xfjy.a", "the task stays with its holder");
        let alerts = outbox::Entity::find()
            .filter(outbox::Column::Template.eq("department_unstaffed"))
            .all(app.engine.db()).await.unwrap();
        assert_eq!(alerts.len(), 1);
        assert_eq!(alerts[0].recipient_email, "admin@lianban.example");
        assert_eq!(alerts[0].payload["department"], "消防救援大队");
    }

    async fn absences_are_recorded_by_the_person_their_head_or_an_admin_without_overlap(app: TestApp) {
        let outsider = away(&app, "xfjy.a", "sthj.a", 1).await;
        assert_eq!(code(&outsider["errors"][0]), "FORBIDDEN");
        let first = away(&app, "xfjy.a", "admin", 3).await;
        assert!(first.get("errors").is_none(), "{first}");
        let overlapping = away(&app, "xfjy.a", "xfjy.head", 1).await;
        assert_eq!(code(&overlapping["errors"][0]), "CONFLICT");
        let token = app.login("xfjy.a").await;
        let me = flows::staff_id(&app, "xfjy.a").await;
        let now = app.clock_now();
        let backwards = app.fails(Some(&token), ABSENCE, json!({ "input": { "staffId": me, "startsAt": (now + Duration::days(9)).to_rfc3339(), "endsAt": (now + Duration::days(8)).to_rfc3339(), "reason": "x" } })).await;
        assert_eq!(code(&backwards), "INVALID_INPUT");
        let mine = app.ok(Some(&token), "{ me { absences { reason } } }", json!({})).await;
        assert_eq!(mine["me"]["absences"].as_array().unwrap().len(), 1);
    }

    async fn a_transfer_needs_a_reason_and_across_departments_a_centre_admin(app: TestApp) {
        let (window, case_id, _, tasks) = flows::joint_case_in_review(&app).await;
        let task = fire(&tasks);
        let transfer = "mutation($t: ID!, $to: ID!, $r: String!) { transferTask(input: { taskId: $t, toStaffId: $to, reason: $r }) { assignee { username } department { name } dueAt } }";
        let b = flows::staff_id(&app, "xfjy.b").await;
        let head = app.login("xfjy.head").await;
        let no_reason = app.fails(Some(&head), transfer, json!({ "t": task.id, "to": b, "r": " " })).await;
        assert_eq!(code(&no_reason), "INVALID_INPUT");
        let before = flows::case(&app, &window, &case_id, TASKS).await;
        let moved = app.ok(Some(&head), transfer, json!({ "t": task.id, "to": b, "r": "刘消防外出执勤" })).await;
        assert_eq!(moved["transferTask"]["assignee"]["username"], "xfjy.b");
        let due_before = before["tasks"].as_array().unwrap().iter().find(|t| t["id"] == task.id.as_str()).unwrap()["dueAt"].clone();
        assert_eq!(moved["transferTask"]["dueAt"], due_before, "the deadline does not reset");
        let elsewhere = flows::staff_id(&app, "csgl.a").await;
        let refused = app.fails(Some(&head), transfer, json!({ "t": task.id, "to": elsewhere, "r": "属城管职责" })).await;
        assert_eq!(code(&refused), "FORBIDDEN");
        let admin = app.login("admin").await;
        let across = app.ok(Some(&admin), transfer, json!({ "t": task.id, "to": elsewhere, "r": "属城管职责" })).await;
        assert_eq!(across["transferTask"]["department"]["name"], "城市管理局");
        let csgl = app.login("csgl.a").await;
        let queue = app.readme(Some(&csgl), "MyTasks", json!({})).await;
        assert_eq!(queue["myTasks"]["edges"].as_array().unwrap().len(), 1);
        // The task's clock answers to its new department on both boards.
        const BOARD: &str = "query($d: ID!) { departmentBoard(departmentId: $d) { counts { open } queue { id } } }";
        let departments = app.ok(Some(&admin), "{ departments { id code } }", json!({})).await["departments"].clone();
        let id_of = |code: &str| departments.as_array().unwrap().iter().find(|d| d["code"] == code).unwrap()["id"].clone();
        let csgl_board = app.ok(Some(&admin), BOARD, json!({ "d": id_of("CSGL") })).await["departmentBoard"].clone();
        assert_eq!(csgl_board, json!({ "counts": { "open": 1 }, "queue": [{ "id": task.id }] }));
        let xfjy_board = app.ok(Some(&admin), BOARD, json!({ "d": id_of("XFJY") })).await["departmentBoard"].clone();
        assert_eq!(xfjy_board, json!({ "counts": { "open": 0 }, "queue": [] }));
    }

    async fn the_first_responder_hears_of_every_state_change(app: TestApp) {
        let window = app.login("scjg.window").await;
        let front_desk = flows::staff_id(&app, "admin").await;
        let open = "mutation($fr: ID!) { openCase(input: { matterCode: \"JOINT-001\", applicant: { name: \"赵六\", idNumber: \"110101199003071234\", phone: \"13700137000\" }, firstResponderId: $fr }) { id firstResponder { name } } }";
        let opened = app.ok(Some(&window), open, json!({ "fr": front_desk })).await;
        assert_eq!(opened["openCase"]["firstResponder"]["name"], "周管理");
        let case_id = opened["openCase"]["id"].as_str().unwrap().to_owned();
        let (_, tasks) = flows::accept(&app, &window, &case_id).await;
        flows::approve_all(&app, &tasks).await;
        app.readme(Some(&window), "Decide", json!({ "caseId": case_id })).await;
        let heard: Vec<(String, String)> = outbox::Entity::find()
            .filter(outbox::Column::Template.eq("case_status_changed"))
            .order_by_asc(outbox::Column::CreatedAt)
            .all(app.engine.db()).await.unwrap()
            .into_iter()
            .map(|m| (m.recipient_email, format!("{}→{}", m.payload["from"].as_str().unwrap(), m.payload["to"].as_str().unwrap())))
            .collect();
        let expected: Vec<(String, String)> = ["RECEIVED→IN_REVIEW", "IN_REVIEW→AWAITING_DECISION", "AWAITING_DECISION→DECIDED"]
            .iter().map(|c| ("admin@lianban.example".to_owned(), c.to_string())).collect();
        assert_eq!(heard, expected);
    }
}
