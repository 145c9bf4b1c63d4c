//! Decisions and what follows: negative reports signed by the right person, extensions,
//! delivery, archiving, withdrawal, consultations, reported-up cases and petitions.

use crate::support::code;
use crate::support::flows::{self, TaskRef};
use chrono::Duration;
use lianban_entity::outbox;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

const DECIDE: &str = "mutation($input: DecideCaseInput!) { decideCase(input: $input) { status pendingReport { id outcome signerRole status } } }";
/// The reports waiting for the reader's signature.
const QUEUE: &str =
    "{ reportsToSign(first: 10) { totalCount nodes { id outcome case { number } } } }";

fn sign() -> &'static str {
    crate::support::readme::operation("SignNegativeReport")
}
fn extend() -> &'static str {
    crate::support::readme::operation("ExtendDeadline")
}

fn by(tasks: &[TaskRef], assignee: &str) -> TaskRef {
    tasks
        .iter()
        .find(|t| t.assignee == assignee)
        .unwrap()
        .clone()
}

async fn joint_case_with_an_objection(app: &crate::support::TestApp) -> (String, String) {
    let (window, case_id, _, tasks) = flows::joint_case_in_review(app).await;
    flows::approve(app, &by(&tasks, "xfjy.a")).await;
    flows::approve(app, &by(&tasks, "wsjk.a")).await;
    flows::opinion(app, &by(&tasks, "sthj.a"), json!({ "kind": "REJECT", "reason": "油烟净化设施未达标", "legalBasis": "《大气污染防治法》第八十一条" })).await;
    (window, case_id)
}

fn deny(case_id: &str) -> Value {
    json!({ "input": { "caseId": case_id, "outcome": "DENIED", "reason": "环保条件不具备", "legalBasis": "《行政许可法》第三十八条第二款" } })
}

on_both_databases! {
    async fn a_denial_of_a_joint_case_takes_effect_only_when_a_leader_signs_it(app: TestApp) {
        let (window, case_id) = joint_case_with_an_objection(&app).await;
        let filed = app.ok(Some(&window), DECIDE, deny(&case_id)).await;
        let report = &filed["decideCase"]["pendingReport"];
        assert_eq!(filed["decideCase"]["status"], "AWAITING_DECISION", "nothing takes effect yet");
        assert_eq!((report["outcome"].as_str(), report["signerRole"].as_str()), (Some("DENIED"), Some("LEADER")));
        let report_id = report["id"].as_str().unwrap().to_owned();

        let approve = app.fails(Some(&window), DECIDE, json!({ "input": { "caseId": case_id, "outcome": "APPROVED", "reason": "x" } })).await;
        assert_eq!(code(&approve), "INVALID_STATE", "a report is pending");
        let head = app.login("scjg.head").await;
        let error = app.fails(Some(&head), sign(), json!({ "input": { "reportId": report_id, "sign": true } })).await;
        assert_eq!(code(&error), "FORBIDDEN", "a joint case's report is a leader's");

        let leader = app.login("leader").await;
        let queue = app.ok(Some(&leader), QUEUE, json!({})).await;
        assert_eq!(queue["reportsToSign"]["totalCount"], 1);
        assert_eq!(queue["reportsToSign"]["nodes"][0]["id"], report_id.as_str());
        let heads_queue = app.ok(Some(&head), QUEUE, json!({})).await;
        assert_eq!(heads_queue["reportsToSign"]["totalCount"], 0, "a joint case's report waits for a leader only");
        let signed = app.ok(Some(&leader), sign(), json!({ "input": { "reportId": report_id, "sign": true } })).await;
        let case = &signed["signNegativeReport"]["case"];
        assert_eq!(signed["signNegativeReport"]["status"], "SIGNED");
        assert_eq!(case["status"], "DECIDED");
        assert_eq!(case["decision"]["outcome"], "DENIED");
        let notice = case["notices"].as_array().unwrap().iter().find(|n| n["kind"] == "DECISION").unwrap();
        let body = notice["body"].as_str().unwrap();
        assert!(notice["title"].as_str().unwrap().starts_with("不予许可决定书"));
        for part in ["理由：环保条件不具备", "依据：《行政许可法》第三十八条第二款", "生态环境局意见：油烟净化设施未达标", "行政复议", "行政诉讼"] {
            assert!(body.contains(part), "{part} in {body}");
        }
        let again = app.fails(Some(&leader), sign(), json!({ "input": { "reportId": report_id, "sign": true } })).await;
        assert_eq!(code(&again), "INVALID_STATE");
        let (_, timeline) = flows::status_and_timeline(&app, &window, &case_id).await;
        for kind in ["NEGATIVE_REPORT_FILED", "NEGATIVE_REPORT_SIGNED", "CASE_DECIDED"] {
            assert_eq!(timeline.iter().filter(|k| *k == kind).count(), 1, "{kind}");
        }
    }

    async fn a_declined_report_lets_the_lead_approve_over_the_objection_in_writing(app: TestApp) {
        let (window, case_id) = joint_case_with_an_objection(&app).await;
        let filed = app.ok(Some(&window), DECIDE, deny(&case_id)).await;
        let report_id = filed["decideCase"]["pendingReport"]["id"].as_str().unwrap().to_owned();
        let leader = app.login("leader").await;
        let error = app.fails(Some(&leader), sign(), json!({ "input": { "reportId": report_id, "sign": false } })).await;
        assert_eq!((code(&error), error["extensions"]["field"].as_str()), ("INVALID_INPUT", Some("comment")));
        let declined = app.ok(Some(&leader), sign(), json!({ "input": { "reportId": report_id, "sign": false, "comment": "整改承诺可行，请依法审慎决定" } })).await;
        assert_eq!(declined["signNegativeReport"]["status"], "DECLINED");
        assert_eq!(declined["signNegativeReport"]["case"]["status"], "AWAITING_DECISION");

        let over = app.ok(Some(&window), DECIDE, json!({ "input": { "caseId": case_id, "outcome": "APPROVED", "reason": "申请人已安装达标油烟净化设施并提交检测报告" } })).await;
        assert_eq!(over["decideCase"]["status"], "DECIDED");
        let told: Vec<String> = outbox::Entity::find()
            .filter(outbox::Column::Template.eq("objection_overruled"))
            .all(app.engine.db()).await.unwrap()
            .into_iter().map(|m| m.recipient_email).collect();
        assert!(told.contains(&"sthj.a@lianban.example".to_owned()) && told.contains(&"sthj.head@lianban.example".to_owned()), "{told:?}");
    }

    async fn a_return_and_a_non_acceptance_are_signed_by_the_department_head(app: TestApp) {
        let window = app.login("scjg.window").await;
        let (returned, _) = flows::open_case(&app, &window, "SCJG-PRM-001").await;
        let ret = "mutation($input: RefusalInput!) { returnCase(input: $input) { status pendingReport { id signerRole } } }";
        let filed = app.ok(Some(&window), ret, json!({ "input": { "caseId": returned, "reason": "申请事项不属于本中心受理范围", "legalBasis": "《行政许可法》第三十二条第一款第二项" } })).await;
        assert_eq!(filed["returnCase"]["status"], "RECEIVED");
        assert_eq!(filed["returnCase"]["pendingReport"]["signerRole"], "DEPT_HEAD");
        let report = filed["returnCase"]["pendingReport"]["id"].as_str().unwrap().to_owned();
        let reviewer = app.login("scjg.a").await;
        assert_eq!(code(&app.fails(Some(&reviewer), sign(), json!({ "input": { "reportId": report, "sign": true } })).await), "FORBIDDEN");
        let other_head = app.login("xfjy.head").await;
        assert_eq!(code(&app.fails(Some(&other_head), sign(), json!({ "input": { "reportId": report, "sign": true } })).await), "FORBIDDEN");
        let head = app.login("scjg.head").await;
        // It waits in the lead department head's queue, not in another department's head's.
        let queue = app.ok(Some(&head), QUEUE, json!({})).await;
        assert_eq!((queue["reportsToSign"]["totalCount"].clone(), queue["reportsToSign"]["nodes"][0]["id"].clone()), (json!(1), json!(report)));
        assert_eq!(app.ok(Some(&other_head), QUEUE, json!({})).await["reportsToSign"]["totalCount"], 0);
        let signed = app.ok(Some(&head), sign(), json!({ "input": { "reportId": report, "sign": true } })).await;
        assert_eq!(app.ok(Some(&head), QUEUE, json!({})).await["reportsToSign"]["totalCount"], 0, "signed: no longer waiting");
        let case = &signed["signNegativeReport"]["case"];
        assert_eq!(case["status"], "RETURNED");
        let notice = &case["notices"][0];
        assert_eq!(notice["kind"], "RETURN");
        assert!(notice["body"].as_str().unwrap().contains("理由：申请事项不属于本中心受理范围"));
        assert!(notice["body"].as_str().unwrap().contains("行政复议"));

        let (refused, _) = flows::open_case(&app, &window, "JOINT-001").await;
        let refuse = "mutation($input: RefusalInput!) { refuseCase(input: $input) { pendingReport { id signerRole } } }";
        let filed = app.ok(Some(&window), refuse, json!({ "input": { "caseId": refused, "reason": "申请人不具备主体资格", "legalBasis": "《行政许可法》第三十二条" } })).await;
        assert_eq!(filed["refuseCase"]["pendingReport"]["signerRole"], "LEADER");
        let leader = app.login("leader").await;
        let id = filed["refuseCase"]["pendingReport"]["id"].as_str().unwrap();
        let signed = app.ok(Some(&leader), sign(), json!({ "input": { "reportId": id, "sign": true } })).await;
        assert_eq!(signed["signNegativeReport"]["case"]["status"], "NOT_ACCEPTED");
        assert_eq!(signed["signNegativeReport"]["case"]["notices"][0]["kind"], "NOT_ACCEPTED");
    }

    async fn an_extension_is_granted_once_within_its_cap_by_the_right_role(app: TestApp) {
        let (window, case_id, _, _) = flows::joint_case_in_review(&app).await;
        let ask = |days: i32| json!({ "input": { "caseId": case_id, "days": days, "reason": "需组织现场核查" } });
        assert_eq!(code(&app.fails(Some(&window), extend(), ask(5)).await), "FORBIDDEN");
        let head = app.login("scjg.head").await;
        assert_eq!(code(&app.fails(Some(&head), extend(), ask(5)).await), "FORBIDDEN", "a joint case's extension is a leader's");
        let leader = app.login("leader").await;
        let too_long = app.fails(Some(&leader), extend(), ask(16)).await;
        assert_eq!((code(&too_long), too_long["extensions"]["field"].as_str()), ("INVALID_INPUT", Some("days")));
        let extended = app.ok(Some(&leader), extend(), ask(15)).await;
        let case = &extended["extendDeadline"];
        assert_eq!(case["dueAt"], "2026-12-28T10:00:00+00:00", "7 Dec + 15 working days");
        assert_eq!(case["extension"]["approvedBy"]["name"], "陈主任");
        assert!(case["notices"].as_array().unwrap().iter().any(|n| n["kind"] == "EXTENSION" && n["body"].as_str().unwrap().contains("延长15个工作日")));
        assert_eq!(code(&app.fails(Some(&leader), extend(), ask(1)).await), "INVALID_STATE", "once per case");

        let (promised, _) = flows::open_case(&app, &window, "SCJG-PRM-001").await;
        flows::accept(&app, &window, &promised).await;
        let over = app.fails(Some(&head), extend(), json!({ "input": { "caseId": promised, "days": 11, "reason": "x" } })).await;
        assert_eq!(code(&over), "INVALID_INPUT");
        app.ok(Some(&head), extend(), json!({ "input": { "caseId": promised, "days": 10, "reason": "需检验检测" } })).await;

        let (immediate, _) = flows::open_case(&app, &window, "SCJG-IMM-001").await;
        flows::accept(&app, &window, &immediate).await;
        let mismatch = app.fails(Some(&head), extend(), json!({ "input": { "caseId": immediate, "days": 1, "reason": "x" } })).await;
        assert_eq!(code(&mismatch), "INVALID_INPUT");
        assert!(mismatch["message"].as_str().unwrap().contains("unit mismatch"));
    }

    async fn a_decided_case_is_delivered_and_archived(app: TestApp) {
        let (window, case_id, _, tasks) = flows::joint_case_in_review(&app).await;
        let deliver = "mutation($c: ID!) { deliverResult(input: { caseId: $c, method: \"窗口领取\" }) { status deliveredAt deliveryMethod timeline { kind after } } }";
        assert_eq!(code(&app.fails(Some(&window), deliver, json!({ "c": case_id })).await), "INVALID_STATE", "not decided yet");
        flows::approve_all(&app, &tasks).await;
        app.readme(Some(&window), "Decide", json!({ "caseId": case_id })).await;
        app.clock.advance(Duration::days(15)); // 11 working days later: late
        let window = app.login("scjg.window").await;
        let delivered = app.ok(Some(&window), deliver, json!({ "c": case_id })).await["deliverResult"].clone();
        assert_eq!((delivered["status"].as_str(), delivered["deliveryMethod"].as_str()), (Some("DELIVERED"), Some("窗口领取")));
        let event = delivered["timeline"].as_array().unwrap().iter().find(|e| e["kind"] == "RESULT_DELIVERED").unwrap().clone();
        assert_eq!(event["after"]["late"], true, "more than 10 working days after the decision");
        let archive = "mutation($c: ID!) { archiveCase(caseId: $c) { status archivedAt } }";
        assert_eq!(app.ok(Some(&window), archive, json!({ "c": case_id })).await["archiveCase"]["status"], "ARCHIVED");
        assert_eq!(code(&app.fails(Some(&window), archive, json!({ "c": case_id })).await), "INVALID_STATE");
    }

    async fn a_withdrawn_case_cancels_every_open_task_and_stops_its_clocks(app: TestApp) {
        let (window, case_id, _, tasks) = flows::joint_case_in_review(&app).await;
        flows::approve(&app, &tasks[0]).await;
        let withdraw = "mutation($c: ID!) { withdrawCase(input: { caseId: $c, reason: \"申请人申请撤回\" }) { status clock { state } tasks { status clock { state } } } }";
        let done = app.ok(Some(&window), withdraw, json!({ "c": case_id })).await["withdrawCase"].clone();
        assert_eq!(done["status"], "WITHDRAWN");
        assert_eq!(done["clock"]["state"], "STOPPED");
        let statuses: Vec<&str> = done["tasks"].as_array().unwrap().iter().map(|t| t["status"].as_str().unwrap()).collect();
        assert_eq!(statuses, ["RESOLVED", "CANCELLED", "CANCELLED"]);
        assert!(done["tasks"].as_array().unwrap().iter().all(|t| t["clock"]["state"] == "STOPPED"));
        let late = flows::opinion(&app, &tasks[1], json!({ "kind": "APPROVE" })).await;
        assert_eq!(code(&late["errors"][0]), "INVALID_STATE");
        let reviewer = app.login(&tasks[1].assignee).await;
        let queue = app.readme(Some(&reviewer), "MyTasks", json!({})).await;
        assert_eq!(queue["myTasks"]["edges"], json!([]));
        assert_eq!(code(&app.fails(Some(&window), withdraw, json!({ "c": case_id })).await), "INVALID_STATE");
    }

    async fn a_consultation_is_answered_with_a_notice(app: TestApp) {
        let window = app.login("scjg.window").await;
        let (case_id, _) = flows::open_case(&app, &window, "SCJG-CON-001").await;
        let answer = "mutation($c: ID!) { answerCase(input: { caseId: $c, answer: \"企业开办可通过“一网通办”平台一日办结。\" }) { status notices { kind body } } }";
        let done = app.ok(Some(&window), answer, json!({ "c": case_id })).await["answerCase"].clone();
        assert_eq!(done["status"], "ANSWERED");
        assert_eq!(done["notices"][0]["kind"], "ANSWER");
        assert!(done["notices"][0]["body"].as_str().unwrap().contains("一网通办"));
        assert_eq!(code(&app.fails(Some(&window), answer, json!({ "c": case_id })).await), "INVALID_STATE");
    }

    async fn a_reported_up_case_runs_against_the_upper_authoritys_limit(app: TestApp) {
        let window = app.login("scjg.window").await;
        let (case_id, _) = flows::open_case(&app, &window, "SCJG-RPT-001").await;
        let (accepted, tasks) = flows::accept(&app, &window, &case_id).await;
        assert_eq!((accepted["status"].as_str(), tasks.len()), (Some("IN_REVIEW"), 0));
        let report = "mutation($u: LimitUnit!) { reportUp(input: { caseId: \"CASE\", authority: \"省市场监督管理局\", limit: 20, unit: $u }) { status upperAuthority dueAt } }".replace("CASE", &case_id);
        let mismatch = app.fails(Some(&window), &report, json!({ "u": "NATURAL_DAYS" })).await;
        assert_eq!(code(&mismatch), "INVALID_INPUT", "deadline unit mismatch");
        let up = app.ok(Some(&window), &report, json!({ "u": "WORKING_DAYS" })).await["reportUp"].clone();
        assert_eq!((up["status"].as_str(), up["upperAuthority"].as_str()), (Some("REPORTED_UP"), Some("省市场监督管理局")));
        assert_eq!(up["dueAt"], "2026-12-21T10:00:00+00:00", "20 working days from acceptance");
        let answer = "mutation($c: ID!) { recordUpperAnswer(input: { caseId: $c, approved: true, answer: \"经省局审查，准予许可。\" }) { status decision { outcome } notices { kind title } } }";
        let decided = app.ok(Some(&window), answer, json!({ "c": case_id })).await["recordUpperAnswer"].clone();
        assert_eq!((decided["status"].as_str(), decided["decision"]["outcome"].as_str()), (Some("DECIDED"), Some("APPROVED")));
        assert!(decided["notices"].as_array().unwrap().iter().any(|n| n["kind"] == "DECISION"));
    }

    async fn a_petition_is_reviewed_by_the_lead_department_against_natural_days(app: TestApp) {
        let window = app.login("scjg.window").await;
        let (case_id, _) = flows::open_case(&app, &window, "SCJG-PET-001").await;
        let (accepted, tasks) = flows::accept(&app, &window, &case_id).await;
        assert_eq!(tasks[0].assignee, "scjg.a");
        assert_eq!(accepted["dueAt"], "2026-12-23T16:00:00+00:00", "30 natural days: midnight ending 23 Dec");
        flows::approve(&app, &tasks[0]).await;
        let decided = app.readme(Some(&window), "Decide", json!({ "caseId": case_id })).await;
        assert_eq!(decided["decideCase"]["status"], "DECIDED");
    }
}
