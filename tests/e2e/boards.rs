//! The boards' open and paused counts come from tallies the database keeps as clocks change;
//! they must agree with the clocks themselves through every kind of change.

use crate::support::{TestApp, flows};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;
use std::collections::BTreeMap;

/// Open and paused clocks per department code, counted from the clocks (what the board must say).
async fn counted(app: &TestApp) -> BTreeMap<String, (i64, i64)> {
    let db = app.engine.db();
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT d.code AS code, \
               CAST(SUM(CASE WHEN c.state IN ('RUNNING', 'PAUSED') THEN 1 ELSE 0 END) AS BIGINT) AS open, \
               CAST(SUM(CASE WHEN c.state = 'PAUSED' THEN 1 ELSE 0 END) AS BIGINT) AS paused \
             FROM clocks c \
             JOIN cases k ON k.id = c.case_id LEFT JOIN tasks t ON t.id = c.task_id \
             JOIN departments d ON d.id = COALESCE(t.department_id, k.lead_department_id) \
             GROUP BY d.code",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|r| {
            let code: String = r.try_get("", "code").unwrap();
            (
                code,
                (
                    r.try_get("", "open").unwrap(),
                    r.try_get("", "paused").unwrap(),
                ),
            )
        })
        .filter(|(_, (open, _))| *open > 0)
        .collect()
}

/// Open and paused per department code, as the leadership board says.
async fn on_the_board(app: &TestApp) -> BTreeMap<String, (i64, i64)> {
    let leader = app.login("leader").await;
    let board = app
        .ok(Some(&leader), "{ leadershipBoard { centre { open paused } departments { department { code } counts { open paused } } } }", json!({}))
        .await["leadershipBoard"]
        .clone();
    let lines: BTreeMap<String, (i64, i64)> = board["departments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let n = |k: &str| d["counts"][k].as_i64().unwrap();
            (
                d["department"]["code"].as_str().unwrap().to_owned(),
                (n("open"), n("paused")),
            )
        })
        .filter(|(_, (open, _))| *open > 0)
        .collect();
    let total: (i64, i64) = lines.values().fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    assert_eq!(
        (
            board["centre"]["open"].as_i64().unwrap(),
            board["centre"]["paused"].as_i64().unwrap()
        ),
        total
    );
    lines
}

async fn agree(app: &TestApp, expected: &[(&str, (i64, i64))]) {
    let expected: BTreeMap<String, (i64, i64)> =
        expected.iter().map(|(c, n)| (c.to_string(), *n)).collect();
    assert_eq!(counted(app).await, expected, "the clocks themselves");
    assert_eq!(on_the_board(app).await, expected, "the board");
    // Folding the tallies (each sweep does) changes no number.
    let now = app.clock_now();
    app.workers.tick(now).await.unwrap();
    assert_eq!(
        on_the_board(app).await,
        expected,
        "the board after the tallies are folded"
    );
}

on_both_databases! {
    async fn the_board_counts_open_and_paused_clocks_through_pauses_transfers_and_withdrawals(app: TestApp) {
        let (window, a, _, _) = flows::joint_case_in_review(&app).await;
        let (_, b, _, b_tasks) = flows::joint_case_in_review(&app).await;
        // Each joint case: its own clock (市场监管局, the lead) and a task clock for each of
        // 消防, 环评 and 卫健.
        agree(&app, &[("SCJG", (2, 0)), ("STHJ", (2, 0)), ("WSJK", (2, 0)), ("XFJY", (2, 0))]).await;

        // A special procedure pauses every clock of case A.
        app.readme(Some(&window), "SuspendCase", json!({ "caseId": a })).await;
        agree(&app, &[("SCJG", (2, 1)), ("STHJ", (2, 1)), ("WSJK", (2, 1)), ("XFJY", (2, 1))]).await;

        // The centre admin moves B's 消防 task to 城市管理局: its clock goes with it.
        let admin = app.login("admin").await;
        let fire = b_tasks.iter().find(|t| t.assignee == "xfjy.a").unwrap();
        let csgl_a = flows::staff_id(&app, "csgl.a").await;
        app.ok(Some(&admin), "mutation($t: ID!, $to: ID!) { transferTask(input: { taskId: $t, toStaffId: $to, reason: \"属城管职责\" }) { id } }", json!({ "t": fire.id, "to": csgl_a })).await;
        agree(&app, &[("CSGL", (1, 0)), ("SCJG", (2, 1)), ("STHJ", (2, 1)), ("WSJK", (2, 1)), ("XFJY", (1, 1))]).await;

        // B is withdrawn: its clocks stop. A resumes.
        app.ok(Some(&window), "mutation($c: ID!) { withdrawCase(input: { caseId: $c, reason: \"申请人申请撤回\" }) { status } }", json!({ "c": b })).await;
        app.readme(Some(&window), "ResumeCase", json!({ "caseId": a })).await;
        agree(&app, &[("SCJG", (1, 0)), ("STHJ", (1, 0)), ("WSJK", (1, 0)), ("XFJY", (1, 0))]).await;

        // A's departments approve: only its own clock is left, until the decision stops it.
        let a_tasks = flows::case(&app, &window, &a, "tasks { id department { name } assignee { username } }").await["tasks"].clone();
        let a_tasks: Vec<flows::TaskRef> = a_tasks.as_array().unwrap().iter().map(|t| flows::TaskRef {
            id: t["id"].as_str().unwrap().to_owned(),
            department: t["department"]["name"].as_str().unwrap().to_owned(),
            assignee: t["assignee"]["username"].as_str().unwrap().to_owned(),
        }).collect();
        flows::approve_all(&app, &a_tasks).await;
        agree(&app, &[("SCJG", (1, 0))]).await;
        app.readme(Some(&window), "Decide", json!({ "caseId": a })).await;
        agree(&app, &[]).await;
    }
}
