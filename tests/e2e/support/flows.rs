//! Steps many scenarios share, each through GraphQL.

use super::TestApp;
use serde_json::{Value, json};

/// A task as the acceptance returned it.
#[derive(Debug, Clone)]
pub struct TaskRef {
    pub id: String,
    pub department: String,
    pub assignee: String,
}

/// Opens a case of `matter` as `token`; returns (id, number).
pub async fn open_case(app: &TestApp, token: &str, matter: &str) -> (String, String) {
    let data = app
        .ok(
            Some(token),
            "mutation($m: String!) { openCase(input: { matterCode: $m, applicant: { name: \"李四\", idNumber: \"110101199003071234\", phone: \"13900139000\" } }) { id number status } }",
            json!({ "m": matter }),
        )
        .await;
    assert_eq!(data["openCase"]["status"], "RECEIVED");
    (
        data["openCase"]["id"].as_str().unwrap().to_owned(),
        data["openCase"]["number"].as_str().unwrap().to_owned(),
    )
}

/// Accepts a case through the README operation; returns its tasks.
pub async fn accept(app: &TestApp, token: &str, case_id: &str) -> (Value, Vec<TaskRef>) {
    let data = app
        .readme(Some(token), "AcceptCase", json!({ "caseId": case_id }))
        .await;
    let tasks = data["acceptCase"]["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| TaskRef {
            id: t["id"].as_str().unwrap().to_owned(),
            department: t["department"]["name"].as_str().unwrap().to_owned(),
            assignee: t["assignee"]["username"].as_str().unwrap().to_owned(),
        })
        .collect();
    (data["acceptCase"].clone(), tasks)
}

/// Opens and accepts a joint case as the demo window; returns (window token, case id, number, tasks).
pub async fn joint_case_in_review(app: &TestApp) -> (String, String, String, Vec<TaskRef>) {
    let window = app.login("scjg.window").await;
    let (id, number) = open_case(app, &window, "JOINT-001").await;
    let (_, tasks) = accept(app, &window, &id).await;
    (window, id, number, tasks)
}

/// Approves a task as its assignee (signing in as them).
pub async fn approve(app: &TestApp, task: &TaskRef) {
    let token = app.login(&task.assignee).await;
    let data = app
        .readme(Some(&token), "Approve", json!({ "taskId": task.id }))
        .await;
    assert_eq!(data["submitOpinion"]["task"]["status"], "RESOLVED");
}

/// A case's status and timeline kinds, read as `token`.
pub async fn status_and_timeline(
    app: &TestApp,
    token: &str,
    case_id: &str,
) -> (String, Vec<String>) {
    let data = app
        .ok(
            Some(token),
            "query($id: ID!) { case(id: $id) { status timeline { kind } } }",
            json!({ "id": case_id }),
        )
        .await;
    let kinds = data["case"]["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect();
    (data["case"]["status"].as_str().unwrap().to_owned(), kinds)
}

/// Submits an opinion as the task's assignee; returns the response (data or errors).
pub async fn opinion(app: &TestApp, task: &TaskRef, input: Value) -> Value {
    let token = app.login(&task.assignee).await;
    let mut input = input;
    input["taskId"] = json!(task.id);
    app.post(
        Some(&token),
        "mutation($input: SubmitOpinionInput!) { submitOpinion(input: $input) { id kind task { status } } }",
        json!({ "input": input }),
    )
    .await
}

/// Reads fields of a case as `token`.
pub async fn case(app: &TestApp, token: &str, case_id: &str, fields: &str) -> Value {
    let query = format!("query($id: ID!) {{ case(id: $id) {{ {fields} }} }}");
    app.ok(Some(token), &query, json!({ "id": case_id })).await["case"].clone()
}

/// The ids of a demo staff member, by username (as a centre admin reads the departments).
pub async fn staff_id(app: &TestApp, username: &str) -> String {
    let admin = app.login("admin").await;
    let data = app
        .ok(
            Some(&admin),
            "{ departments { staff { id username } } }",
            json!({}),
        )
        .await;
    data["departments"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["staff"].as_array().unwrap().iter())
        .find(|s| s["username"] == username)
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .unwrap_or_else(|| panic!("no staff member {username}"))
}

/// Approves every task of a case as its assignee.
pub async fn approve_all(app: &TestApp, tasks: &[TaskRef]) {
    for task in tasks {
        approve(app, task).await;
    }
}
