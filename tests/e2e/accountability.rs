//! The accountability verbs one at a time: who may change the scoring rules and what a change
//! does, a supervision item's reply deadline swept like a clock, a rectification's reminder,
//! evaluating before the decision, and who reads boards and reports.

use crate::support::{TestApp, code, flows};
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::json;

fn at(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, hour, minute, 0)
        .unwrap()
        - Duration::hours(8)
}

async fn tick(app: &TestApp, now: DateTime<Utc>) {
    app.clock.set(now);
    app.workers.tick(now).await.unwrap();
}

const SET_RULE: &str = "mutation($code: String!, $points: Int!) { setScoringRule(code: $code, points: $points) { code name points } }";
const RULES: &str = "{ scoringRules { code name points } }";
const THANKS: &str = "mutation($d: ID!) { recordScore(input: { departmentId: $d, ruleCode: \"WRITTEN_THANKS\", reason: \"来信表扬\" }) { points } }";

async fn department_id(app: &TestApp, token: &str, code: &str) -> String {
    let data = app
        .ok(Some(token), "{ departments { id code } }", json!({}))
        .await;
    data["departments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

on_both_databases! {
    async fn the_rule_table_starts_with_spec_defaults_and_only_the_centre_admin_changes_it(app: TestApp) {
        let admin = app.login("admin").await;
        let rules = app.ok(Some(&admin), RULES, json!({})).await["scoringRules"].clone();
        let table: Vec<(String, i64)> = rules.as_array().unwrap().iter()
            .map(|r| (r["code"].as_str().unwrap().to_owned(), r["points"].as_i64().unwrap()))
            .collect();
        assert_eq!(table, [
            ("CASE_OVERDUE".to_owned(), -5),
            ("COMPLAINT_ATTITUDE".to_owned(), -3),
            ("COMPLAINT_LATE_DAY".to_owned(), -4),
            ("LIMIT_SHORTENED".to_owned(), 5),
            ("MATTER_MADE_IMMEDIATE".to_owned(), 5),
            ("UNSATISFIED_RESULT".to_owned(), -2),
            ("WRITTEN_THANKS".to_owned(), 2),
        ]);
        let xfjy = department_id(&app, &admin, "XFJY").await;
        assert_eq!(app.ok(Some(&admin), THANKS, json!({ "d": xfjy })).await["recordScore"]["points"], 2);

        for who in ["leader", "supervisor", "xfjy.head"] {
            let token = app.login(who).await;
            let refused = app.fails(Some(&token), SET_RULE, json!({ "code": "WRITTEN_THANKS", "points": 3 })).await;
            assert_eq!(code(&refused), "FORBIDDEN", "{who}");
            let refused = app.fails(Some(&token), THANKS, json!({ "d": xfjy })).await;
            assert_eq!(code(&refused), "FORBIDDEN", "{who} writes no manual entry");
        }
        let refused = app.fails(Some(&admin), SET_RULE, json!({ "code": "NO_SUCH_RULE", "points": 3 })).await;
        assert_eq!(code(&refused), "NOT_FOUND");
        let refused = app.fails(Some(&admin), SET_RULE, json!({ "code": "WRITTEN_THANKS", "points": 1000 })).await;
        assert_eq!(code(&refused), "INVALID_INPUT");

        // A change applies from then on; the entry written before keeps its points.
        let changed = app.ok(Some(&admin), SET_RULE, json!({ "code": "WRITTEN_THANKS", "points": 3 })).await;
        assert_eq!(changed["setScoringRule"]["points"], 3);
        assert_eq!(app.ok(Some(&admin), THANKS, json!({ "d": xfjy })).await["recordScore"]["points"], 3);
        let entries = app.ok(Some(&admin), "query($d: ID) { scoreEntries(filter: {departmentId: $d}) { nodes { points } } }", json!({ "d": xfjy })).await;
        let mut points: Vec<i64> = entries["scoreEntries"]["nodes"].as_array().unwrap().iter().map(|e| e["points"].as_i64().unwrap()).collect();
        points.sort();
        assert_eq!(points, [2, 3]);

        // Who reads what: leaders read every department's report; a department head their own.
        let head = app.login("sthj.head").await;
        let refused = app.fails(Some(&head), "query($d: ID) { scoreEntries(filter: {departmentId: $d}) { nodes { points } } }", json!({ "d": xfjy })).await;
        assert_eq!(code(&refused), "FORBIDDEN");
        let own = app.ok(Some(&head), "{ scoreReport(year: 2026) { departments { name } } }", json!({})).await;
        assert_eq!(own["scoreReport"]["departments"], json!([{ "name": "生态环境局" }]));
        let reviewer = app.login("sthj.a").await;
        let refused = app.fails(Some(&reviewer), "{ leadershipBoard { centre { open } } }", json!({})).await;
        assert_eq!(code(&refused), "FORBIDDEN");
        let refused = app.fails(Some(&head), "{ scoreReport(year: 1999) { year } }", json!({})).await;
        assert_eq!(code(&refused), "INVALID_INPUT");
    }

    async fn a_supervision_reply_deadline_is_swept_like_a_clock(app: TestApp) {
        // Monday 23 Nov 09:00: a supervisor opens an item for 消防; its head assigns it with three
        // working days (due Thursday 09:00).
        let supervisor = app.login("supervisor").await;
        let xfjy = department_id(&app, &supervisor, "XFJY").await;
        let opened = app.ok(Some(&supervisor), "mutation($d: ID!) { openSupervision(input: { departmentId: $d, title: \"夜间施工噪声投诉办理情况\", detail: \"请说明办理进度\" }) { id } }", json!({ "d": xfjy })).await;
        let id = opened["openSupervision"]["id"].clone();
        let head = app.login("xfjy.head").await;
        let xfjy_a = flows::staff_id(&app, "xfjy.a").await;
        let assigned = app.ok(Some(&head), "mutation($id: ID!, $who: ID!) { assignSupervision(id: $id, assigneeId: $who, replyWithinDays: 3) { replyDueAt } }", json!({ "id": id, "who": xfjy_a })).await;
        assert_eq!(assigned["assignSupervision"]["replyDueAt"], "2026-11-26T01:00:00+00:00");

        tick(&app, at(11, 24, 9, 0)).await; // nothing yet
        tick(&app, at(11, 25, 9, 1)).await; // one working day left
        tick(&app, at(11, 26, 9, 1)).await; // due
        tick(&app, at(11, 27, 8, 1)).await; // one day late: the supervisor who opened it hears
        tick(&app, at(11, 27, 8, 2)).await; // nothing twice
        let mail = app.workers.mailer.sent();
        let about = |to: &str, what: &str| mail.iter().filter(|m| m.to == to && m.subject.starts_with(what) && m.subject.contains("督办事项反馈")).count();
        for (to, what, n) in [
            ("xfjy.a", "【联办·提醒】", 1),
            ("xfjy.head", "【联办·提醒】", 1),
            ("xfjy.a", "【联办·到期】", 1),
            ("xfjy.a", "【联办·逾期】", 1),
            ("supervisor", "【联办·逾期】", 1),
            ("supervisor", "【联办·提醒】", 0),
        ] {
            assert_eq!(about(&format!("{to}@lianban.example"), what), n, "{to} {what}");
        }
        let supervisor = app.login("supervisor").await; // the old token expired days ago
        let items = app.ok(Some(&supervisor), "{ supervisions { nodes { status } } }", json!({})).await;
        assert_eq!(items["supervisions"]["nodes"][0]["status"], "ASSIGNED");

        // Once answered, nothing more is sent.
        let token = app.login("xfjy.a").await;
        app.ok(Some(&token), "mutation($id: ID!) { answerSupervision(id: $id, answer: \"已完成整改。\") { status } }", json!({ "id": id })).await;
        let before = app.workers.mailer.sent().len();
        tick(&app, at(11, 30, 8, 1)).await;
        assert_eq!(app.workers.mailer.sent().len(), before);
    }

    async fn a_rectification_is_reminded_and_a_case_is_evaluated_only_once_decided(app: TestApp) {
        let (window, case_id, number, tasks) = flows::joint_case_in_review(&app).await;
        const EVALUATE: &str = "mutation($n: String!) { evaluateCase(input: { caseNumber: $n, grade: VERY_UNSATISFIED, channel: WINDOW_DEVICE, comment: \"材料被退回三次\" }) { isBad rectification { id replyDueAt source status department { code } } } }";
        let early = app.fails(Some(&window), EVALUATE, json!({ "n": number })).await;
        assert_eq!(code(&early), "INVALID_STATE", "not before the decision");
        let unknown = app.fails(Some(&window), EVALUATE, json!({ "n": "LB-00000000-000000" })).await;
        assert_eq!(code(&unknown), "NOT_FOUND");
        let anonymous = app.fails(None, EVALUATE, json!({ "n": number })).await;
        assert_eq!(code(&anonymous), "UNAUTHENTICATED", "the device works in the window's session");
        flows::approve_all(&app, &tasks).await;
        app.readme(Some(&window), "Decide", json!({ "caseId": case_id })).await;
        let bad = app.ok(Some(&window), EVALUATE, json!({ "n": number })).await["evaluateCase"].clone();
        // Monday 23 Nov 09:00 + 15 working days = Monday 14 Dec 09:00.
        assert_eq!(bad["rectification"]["replyDueAt"], "2026-12-14T01:00:00+00:00");
        assert_eq!((bad["rectification"]["source"].clone(), bad["rectification"]["status"].clone()), (json!("BAD_REVIEW"), json!("OPENED")));
        assert_eq!(bad["rectification"]["department"]["code"], "SCJG");
        let read = flows::case(&app, &window, &case_id, "evaluation { gradeLabel comment }").await;
        assert_eq!(read["evaluation"], json!({ "gradeLabel": "非常不满意", "comment": "材料被退回三次" }));
        let timeline: Vec<String> = flows::case(&app, &window, &case_id, "timeline { kind }").await["timeline"]
            .as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap().to_owned()).collect();
        assert!(timeline.contains(&"CASE_EVALUATED".to_owned()) && timeline.contains(&"SUPERVISION_OPENED".to_owned()), "{timeline:?}");

        tick(&app, at(11, 23, 9, 5)).await;
        tick(&app, at(12, 11, 9, 1)).await; // one working day left
        let mail = app.workers.mailer.sent();
        let to_head: Vec<_> = mail.iter().filter(|m| m.to == "scjg.head@lianban.example").map(|m| m.subject.clone()).collect();
        assert!(to_head.iter().any(|s| s.starts_with("【联办·差评整改】")), "{to_head:?}");
        assert!(to_head.iter().any(|s| s.starts_with("【联办·提醒】差评整改")), "{to_head:?}");
        let window = app.login("scjg.window").await;
        let entries = app.ok(Some(&window), "{ scoreEntries { nodes { ruleCode points causeKind staff { username } } } }", json!({})).await;
        assert_eq!(entries["scoreEntries"]["nodes"], json!([{ "ruleCode": "UNSATISFIED_RESULT", "points": -2, "causeKind": "CASE_EVALUATED", "staff": { "username": "scjg.window" } }]));
    }
}
