//! Signing in, who may do what, and what each role sees.

use crate::support::code;
use crate::support::flows;
use chrono::Duration;
use serde_json::json;

const ME: &str = "query { me { username name roles department { code name } } }";

on_both_databases! {
    async fn a_deactivated_account_is_refused_at_once(app: TestApp) {
        let token = app.login("xfjy.a").await;
        app.ok(Some(&token), ME, json!({})).await;
        // Deactivation ends the account's sessions: the token stops working at once, though
        // this process had its session in memory from the request before.
        app.deactivate("xfjy.a").await;
        let error = app.fails(Some(&token), ME, json!({})).await;
        assert_eq!(code(&error), "UNAUTHENTICATED");
        assert!(error["message"].as_str().unwrap().contains("no longer active"), "{error}");
    }

    async fn login_returns_a_token_and_me_names_the_department_and_roles(app: TestApp) {
        let token = app.login("xfjy.head").await;
        let me = app.ok(Some(&token), ME, json!({})).await;
        assert_eq!(me["me"]["username"], "xfjy.head");
        assert_eq!(me["me"]["name"], "黄大队长");
        assert_eq!(me["me"]["roles"], json!(["REVIEWER", "DEPT_HEAD"]));
        assert_eq!(me["me"]["department"]["name"], "消防救援大队");
    }

    async fn a_wrong_password_or_unknown_user_is_refused_alike(app: TestApp) {
        let login = crate::support::readme::operation("Login");
        let wrong = app.fails(None, login, json!({ "username": "scjg.window", "password": "nope" })).await;
        let unknown = app.fails(None, login, json!({ "username": "nobody", "password": "nope" })).await;
        assert_eq!(code(&wrong), "UNAUTHENTICATED");
        assert_eq!(wrong["message"], unknown["message"]);
    }

    async fn requests_without_a_valid_token_are_unauthenticated(app: TestApp) {
        assert_eq!(code(&app.fails(None, ME, json!({})).await), "UNAUTHENTICATED");
        assert_eq!(code(&app.fails(Some("forged.token.value"), ME, json!({})).await), "UNAUTHENTICATED");
        let token = app.login("scjg.window").await;
        app.clock.advance(Duration::hours(13));
        let expired = app.fails(Some(&token), ME, json!({})).await;
        assert_eq!(code(&expired), "UNAUTHENTICATED");
        assert!(expired["message"].as_str().unwrap().contains("expired"));
    }

    async fn only_a_window_opens_cases(app: TestApp) {
        let reviewer = app.login("scjg.a").await;
        let error = app.fails(Some(&reviewer), crate::support::readme::operation("OpenJointCase"), json!({})).await;
        assert_eq!(code(&error), "FORBIDDEN");
        let admin = app.login("admin").await;
        let cases = app.ok(Some(&admin), "{ cases { edges { node { id } } } }", json!({})).await;
        assert_eq!(cases["cases"]["edges"], json!([]), "no case was opened");
    }

    async fn only_the_lead_window_accepts_and_decides(app: TestApp) {
        let window = app.login("scjg.window").await;
        let (case_id, _) = flows::open_case(&app, &window, "JOINT-001").await;
        let head = app.login("xfjy.head").await;
        let error = app.fails(Some(&head), crate::support::readme::operation("AcceptCase"), json!({ "caseId": case_id })).await;
        assert_eq!(code(&error), "FORBIDDEN");
        let (status, timeline) = flows::status_and_timeline(&app, &window, &case_id).await;
        assert_eq!((status.as_str(), timeline.len()), ("RECEIVED", 1));
    }

    async fn other_departments_cannot_read_a_case_and_leaders_see_personal_data_masked(app: TestApp) {
        let window = app.login("scjg.window").await;
        let (case_id, number) = flows::open_case(&app, &window, "JOINT-001").await;
        flows::accept(&app, &window, &case_id).await;
        let read = "query($n: String!) { caseByNumber(number: $n) { number applicant { name idNumber phone } } }";

        let outsider = app.login("csgl.a").await;
        let error = app.fails(Some(&outsider), read, json!({ "n": number })).await;
        assert_eq!(code(&error), "NOT_FOUND", "alike for a number that exists and one that does not");
        let absent = app.fails(Some(&outsider), read, json!({ "n": "LB-20261123-999999" })).await;
        assert_eq!(code(&absent), "NOT_FOUND");
        assert_eq!(
            error["message"].as_str().unwrap().replace(number.as_str(), "#"),
            absent["message"].as_str().unwrap().replace("LB-20261123-999999", "#"),
            "the same answer"
        );
        let listed = app.ok(Some(&outsider), "{ cases { edges { node { id } } } }", json!({})).await;
        assert_eq!(listed["cases"]["edges"], json!([]));

        let reviewer = app.login("wsjk.a").await;
        let seen = app.ok(Some(&reviewer), read, json!({ "n": number })).await;
        assert_eq!(seen["caseByNumber"]["applicant"]["idNumber"], "110101199003071234");

        let leader = app.login("leader").await;
        let seen = app.ok(Some(&leader), read, json!({ "n": number })).await;
        assert_eq!(seen["caseByNumber"]["applicant"]["name"], "李四");
        assert_eq!(seen["caseByNumber"]["applicant"]["idNumber"], "110************234");
        assert_eq!(seen["caseByNumber"]["applicant"]["phone"], "139*****000");
        let listed = app.ok(Some(&leader), "{ cases { edges { node { number } } } }", json!({})).await;
        assert_eq!(listed["cases"]["edges"][0]["node"]["number"], number.as_str());
    }

    async fn a_colleague_cannot_answer_a_task_assigned_to_someone_else(app: TestApp) {
        let (_, _, _, tasks) = flows::joint_case_in_review(&app).await;
        let fire = tasks.iter().find(|t| t.assignee == "xfjy.a").unwrap();
        let colleague = app.login("xfjy.b").await;
        let approve = crate::support::readme::operation("Approve");
        let error = app.fails(Some(&colleague), approve, json!({ "taskId": fire.id })).await;
        assert_eq!(code(&error), "FORBIDDEN");
        // The department head may answer for the department.
        let head = app.login("xfjy.head").await;
        let data = app.ok(Some(&head), approve, json!({ "taskId": fire.id })).await;
        assert_eq!(data["submitOpinion"]["task"]["status"], "RESOLVED");
    }
}
