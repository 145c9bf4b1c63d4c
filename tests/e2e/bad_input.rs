//! Bad input (SPEC §9): each refused with its code, and nothing written.

use crate::support::code;
use crate::support::flows;
use serde_json::json;

const TASK_STATE: &str = "query($id: ID!) { case(id: $id) { status tasks { id status opinion { kind } } opinions { id } timeline { kind } } }";

on_both_databases! {
    async fn a_case_with_an_unknown_matter_is_refused(app: TestApp) {
        let window = app.login("scjg.window").await;
        let open = "mutation { openCase(input: { matterCode: \"NO-SUCH-MATTER\", applicant: { name: \"李四\", idNumber: \"110101199003071234\", phone: \"13900139000\" } }) { id } }";
        let error = app.fails(Some(&window), open, json!({})).await;
        assert_eq!(code(&error), "NOT_FOUND");
        assert!(error["message"].as_str().unwrap().contains("NO-SUCH-MATTER"));
        let admin = app.login("admin").await;
        let cases = app.ok(Some(&admin), "{ cases { edges { node { id } } } }", json!({})).await;
        assert_eq!(cases["cases"]["edges"], json!([]));
        // The case number was not consumed either: the next case is number 1.
        let (_, number) = flows::open_case(&app, &window, "JOINT-001").await;
        assert!(number.ends_with("-000001"), "{number}");
    }

    async fn a_reject_without_reason_is_refused(app: TestApp) {
        let (window, case_id, _, tasks) = flows::joint_case_in_review(&app).await;
        let before = app.ok(Some(&window), TASK_STATE, json!({ "id": case_id })).await;
        let token = app.login(&tasks[0].assignee).await;
        let reject = "mutation($t: ID!) { submitOpinion(input: { taskId: $t, kind: REJECT, legalBasis: \"《行政许可法》第三十八条\" }) { id } }";
        let error = app.fails(Some(&token), reject, json!({ "t": tasks[0].id })).await;
        assert_eq!(code(&error), "INVALID_INPUT");
        assert_eq!(error["extensions"]["field"], "reason");
        let after = app.ok(Some(&window), TASK_STATE, json!({ "id": case_id })).await;
        assert_eq!(before, after, "nothing changed");
    }

    async fn an_opinion_on_another_departments_task_is_refused(app: TestApp) {
        let (window, case_id, _, tasks) = flows::joint_case_in_review(&app).await;
        let before = app.ok(Some(&window), TASK_STATE, json!({ "id": case_id })).await;
        let fire_task = tasks.iter().find(|t| t.assignee == "xfjy.a").unwrap();
        let env = app.login("sthj.head").await;
        let approve = crate::support::readme::operation("Approve");
        let error = app.fails(Some(&env), approve, json!({ "taskId": fire_task.id })).await;
        assert_eq!(code(&error), "FORBIDDEN");
        let after = app.ok(Some(&window), TASK_STATE, json!({ "id": case_id })).await;
        assert_eq!(before, after, "nothing changed");
    }

    async fn a_second_opinion_on_a_resolved_task_is_refused(app: TestApp) {
        let (window, case_id, _, tasks) = flows::joint_case_in_review(&app).await;
        flows::approve(&app, &tasks[0]).await;
        let before = app.ok(Some(&window), TASK_STATE, json!({ "id": case_id })).await;
        let token = app.login(&tasks[0].assignee).await;
        let reject = "mutation($t: ID!) { submitOpinion(input: { taskId: $t, kind: REJECT, reason: \"改主意\", legalBasis: \"无\" }) { id } }";
        let error = app.fails(Some(&token), reject, json!({ "t": tasks[0].id })).await;
        assert_eq!(code(&error), "INVALID_STATE");
        let after = app.ok(Some(&window), TASK_STATE, json!({ "id": case_id })).await;
        assert_eq!(before, after, "the first opinion stands");
        assert_eq!(after["case"]["opinions"].as_array().unwrap().len(), 1);
    }

    async fn oversized_strings_and_lists_are_refused(app: TestApp) {
        let window = app.login("scjg.window").await;
        let open = "mutation($name: String!) { openCase(input: { matterCode: \"JOINT-001\", applicant: { name: $name, idNumber: \"110101199003071234\", phone: \"13900139000\" } }) { id } }";
        let error = app.fails(Some(&window), open, json!({ "name": "餐".repeat(101) })).await;
        assert_eq!(code(&error), "INVALID_INPUT");
        assert_eq!(error["extensions"]["field"], "applicant.name");

        let (_, case_id, _, tasks) = flows::joint_case_in_review(&app).await;
        let token = app.login(&tasks[0].assignee).await;
        let with_conditions = crate::support::readme::operation("ApproveWithConditions");
        let many: Vec<String> = (0..51).map(|i| format!("条件{i}")).collect();
        let error = app.fails(Some(&token), with_conditions, json!({ "taskId": tasks[0].id, "conditions": many })).await;
        assert_eq!((code(&error), error["extensions"]["field"].as_str()), ("INVALID_INPUT", Some("conditions")));
        let long = vec!["长".repeat(2001)];
        let error = app.fails(Some(&token), with_conditions, json!({ "taskId": tasks[0].id, "conditions": long })).await;
        assert_eq!(code(&error), "INVALID_INPUT");
        let state = app.ok(Some(&window), TASK_STATE, json!({ "id": case_id })).await;
        assert_eq!(state["case"]["opinions"], json!([]));
        let admin = app.login("admin").await;
        let cases = app.ok(Some(&admin), "{ cases { edges { node { id } } } }", json!({})).await;
        assert_eq!(cases["cases"]["edges"].as_array().unwrap().len(), 1, "only the valid case exists");
    }

    async fn malformed_ids_and_queries_are_refused_with_a_code(app: TestApp) {
        let window = app.login("scjg.window").await;
        let error = app.fails(Some(&window), "{ case(id: \"not-a-uuid\") { id } }", json!({})).await;
        assert_eq!((code(&error), error["extensions"]["field"].as_str()), ("INVALID_INPUT", Some("id")));
        let error = app.fails(Some(&window), "{ case(id: \"0190d6a0-0000-7000-8000-000000000000\") { id } }", json!({})).await;
        assert_eq!(code(&error), "NOT_FOUND");
        let error = app.fails(Some(&window), "{ myTasks(first: 1000) { edges { cursor } } }", json!({})).await;
        assert_eq!(code(&error), "INVALID_INPUT");
        let error = app.fails(Some(&window), "{ myTasks(after: \"garbage\") { edges { cursor } } }", json!({})).await;
        assert_eq!(code(&error), "INVALID_INPUT");
        let error = app.fails(Some(&window), "{ me { nosuchfield } }", json!({})).await;
        assert_eq!(code(&error), "INVALID_INPUT");
        let error = app.fails(Some(&window), "{ me { ", json!({})).await;
        assert_eq!(code(&error), "INVALID_INPUT");
    }
}
