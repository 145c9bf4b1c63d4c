//! A month at the centre under a fake clock (November 2026): cases decided on time and late, a
//! review left to run over, a case left alone, two complaints against one reviewer, a bad
//! review, a written thanks and an absence. At the month's end the leadership board, a
//! department's board, the supervision items, the score entries, the report with its award
//! flags and the CSV export say what a centre director would expect, number by number.

use crate::support::{TestApp, code, flows};
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{Value, json};

/// A Shanghai-local instant in November or December 2026.
fn at(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, hour, minute, 0)
        .unwrap()
        - Duration::hours(8)
}

/// Moves the clock to `now` and runs every job there.
async fn tick(app: &TestApp, now: DateTime<Utc>) {
    app.clock.set(now);
    app.workers.tick(now).await.unwrap();
}

const FILE: &str = "mutation($staff: ID!, $content: String!) { fileComplaint(input: { target: STAFF, staffId: $staff, channel: WRITTEN, complainantName: \"钱投诉\", content: $content }) { id replyDueAt } }";
const REPLY: &str =
    "mutation($id: ID!) { replyComplaint(id: $id, reply: \"已核查并整改。\") { lateWorkingDays } }";
const VERIFY: &str = "mutation($id: ID!) { verifyComplaint(id: $id, verified: true, category: ATTITUDE) { verified category } }";

/// Opens and accepts a joint case at the current time; returns (case id, number, tasks by
/// department code).
async fn joint_case(app: &TestApp) -> (String, String, Vec<flows::TaskRef>) {
    let (_, id, number, tasks) = flows::joint_case_in_review(app).await;
    (id, number, tasks)
}

fn task<'a>(tasks: &'a [flows::TaskRef], assignee: &str) -> &'a flows::TaskRef {
    tasks.iter().find(|t| t.assignee == assignee).unwrap()
}

async fn decide(app: &TestApp, case_id: &str) {
    let window = app.login("scjg.window").await;
    let decided = app
        .readme(Some(&window), "Decide", json!({ "caseId": case_id }))
        .await;
    assert_eq!(decided["decideCase"]["status"], "DECIDED");
}

fn line<'a>(board: &'a Value, code: &str) -> &'a Value {
    board["departments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["department"]["code"] == code)
        .unwrap()
}

on_both_databases! {
    async fn a_month_of_cases_gives_boards_items_and_scores_a_director_would_sign(app: TestApp) {
        // Monday 2 November: case A (all on time) and case B (环评 will run over).
        tick(&app, at(11, 2, 9, 0)).await;
        let (a_id, a_number, a_tasks) = joint_case(&app).await;
        let (b_id, _b_number, b_tasks) = joint_case(&app).await;
        tick(&app, at(11, 3, 10, 0)).await;
        flows::approve_all(&app, &a_tasks).await;
        flows::approve(&app, task(&b_tasks, "xfjy.a")).await;
        flows::approve(&app, task(&b_tasks, "wsjk.a")).await;
        tick(&app, at(11, 4, 10, 0)).await;
        decide(&app, &a_id).await;

        // The applicant of A evaluates through the link on the decision notice: 满意.
        let window = app.login("scjg.window").await;
        let code_a = flows::case(&app, &window, &a_id, "evaluationCode").await["evaluationCode"].as_str().unwrap().to_owned();
        let evaluate = crate::support::readme::operation("EvaluateCase");
        let wrong = app.fails(None, evaluate, json!({ "input": { "caseNumber": a_number, "grade": "SATISFIED", "channel": "LINK", "code": "WRONG12345" } })).await;
        assert_eq!(code(&wrong), "FORBIDDEN");
        let good = app.ok(None, evaluate, json!({ "input": { "caseNumber": a_number, "grade": "SATISFIED", "channel": "LINK", "code": code_a } })).await;
        assert_eq!(good["evaluateCase"], json!({ "grade": "SATISFIED", "gradeLabel": "满意", "isBad": false, "rectification": null }));
        let twice = app.fails(None, evaluate, json!({ "input": { "caseNumber": a_number, "grade": "VERY_SATISFIED", "channel": "LINK", "code": code_a } })).await;
        assert_eq!(code(&twice), "INVALID_STATE", "once per case");

        // Thursday 5 November: a written complaint against 吴环评 (sthj.a); the reply is due
        // Thursday 12 November 10:00.
        tick(&app, at(11, 5, 10, 0)).await;
        let sthj_a = flows::staff_id(&app, "sthj.a").await;
        let window = app.login("scjg.window").await;
        let first = app.ok(Some(&window), FILE, json!({ "staff": sthj_a, "content": "审查人员推诿。" })).await["fileComplaint"].clone();
        assert_eq!(first["replyDueAt"], "2026-11-12T02:00:00+00:00");

        // B's 环评 task (5 working days, due Monday 9 November 18:00) runs over: the due rung
        // costs 生态环境局 and 吴环评 one overdue case; a day later the 黄牌 opens an item.
        tick(&app, at(11, 9, 18, 1)).await;
        tick(&app, at(11, 10, 18, 1)).await;
        // The complaint's follow-up clock: a reminder the day before, a notice at the deadline,
        // then a daily reminder that the centre admin hears of too.
        tick(&app, at(11, 11, 10, 1)).await;
        tick(&app, at(11, 12, 10, 1)).await;
        tick(&app, at(11, 13, 8, 1)).await;
        let mail = app.workers.mailer.sent();
        let about = |to: &str, what: &str| mail.iter().filter(|m| m.to == to && m.subject.contains(what) && m.subject.contains("投诉答复")).count();
        assert_eq!(about("sthj.head@lianban.example", "【联办·提醒】"), 1);
        assert_eq!(about("sthj.head@lianban.example", "【联办·到期】"), 1);
        assert_eq!(about("sthj.head@lianban.example", "【联办·逾期】"), 1);
        assert_eq!(about("admin@lianban.example", "【联办·逾期】"), 1);
        assert_eq!(about("admin@lianban.example", "【联办·提醒】"), 0, "the admin hears only once it is late");

        // Wednesday 11 November: 吴环评 approves B late; B is decided and the applicant grades it
        // 不满意 on the window's device: a rectification item for 市场监管局, 15 working days.
        app.clock.set(at(11, 11, 15, 0));
        flows::approve(&app, task(&b_tasks, "sthj.a")).await;
        decide(&app, &b_id).await;
        let window = app.login("scjg.window").await;
        let b_number = flows::case(&app, &window, &b_id, "number").await["number"].as_str().unwrap().to_owned();
        let other_window = app.login("admin").await;
        let refused = app.fails(Some(&other_window), evaluate, json!({ "input": { "caseNumber": b_number, "grade": "UNSATISFIED", "channel": "WINDOW_DEVICE" } })).await;
        assert_eq!(code(&refused), "FORBIDDEN", "only the lead window's device");
        let bad = app.ok(Some(&window), evaluate, json!({ "input": { "caseNumber": b_number, "grade": "UNSATISFIED", "channel": "WINDOW_DEVICE", "comment": "等了太久" } })).await;
        assert_eq!(bad["evaluateCase"]["isBad"], true);
        assert!(!bad["evaluateCase"]["rectification"]["id"].is_null());

        // Monday 16 November: the complaint is answered 2 working days and 1 hour late (3
        // started days: −12) and verified as an attitude complaint (−3). Case C is accepted and
        // left alone by everybody.
        app.clock.set(at(11, 16, 11, 0));
        let sthj_head = app.login("sthj.head").await;
        let replied = app.ok(Some(&sthj_head), REPLY, json!({ "id": first["id"] })).await;
        assert_eq!(replied["replyComplaint"]["lateWorkingDays"], 3);
        let admin = app.login("admin").await;
        app.ok(Some(&admin), VERIFY, json!({ "id": first["id"] })).await;
        let again = app.fails(Some(&admin), VERIFY, json!({ "id": first["id"] })).await;
        assert_eq!(code(&again), "INVALID_STATE");
        let (_c_id, c_number, _c_tasks) = joint_case(&app).await;

        // 环评's head has B's 黄牌 item answered and the supervisor archives it.
        let items = app.ok(Some(&sthj_head), "{ supervisions { nodes { id source case { number } } } }", json!({})).await;
        let b_item = items["supervisions"]["nodes"].as_array().unwrap().iter().find(|i| i["source"] == "LADDER").unwrap()["id"].clone();
        app.ok(Some(&sthj_head), "mutation($id: ID!, $who: ID!) { assignSupervision(id: $id, assigneeId: $who) { status } }", json!({ "id": b_item, "who": sthj_a })).await;
        let sthj_a_token = app.login("sthj.a").await;
        app.ok(Some(&sthj_a_token), "mutation($id: ID!) { answerSupervision(id: $id, answer: \"已办结并说明超期原因。\") { status } }", json!({ "id": b_item })).await;
        let supervisor = app.login("supervisor").await;
        app.ok(Some(&supervisor), "mutation($id: ID!) { archiveSupervision(id: $id) { status } }", json!({ "id": b_item })).await;

        // Friday 20 November: a second complaint against 吴环评, replied on time.
        app.clock.set(at(11, 20, 10, 0));
        let window = app.login("scjg.window").await;
        let second = app.ok(Some(&window), FILE, json!({ "staff": sthj_a, "content": "窗口答复不耐烦。" })).await["fileComplaint"].clone();
        app.clock.set(at(11, 24, 10, 0));
        let sthj_head = app.login("sthj.head").await;
        assert_eq!(app.ok(Some(&sthj_head), REPLY, json!({ "id": second["id"] })).await["replyComplaint"]["lateWorkingDays"], 0);

        // Monday 23 November: case D, approved and decided the next day, all on time. C's tasks
        // fall due at 18:00, 黄牌 on the 24th, 红牌 on the 26th.
        tick(&app, at(11, 23, 9, 0)).await;
        let (d_id, _, d_tasks) = joint_case(&app).await;
        tick(&app, at(11, 24, 10, 0)).await;
        flows::approve_all(&app, &d_tasks).await;
        decide(&app, &d_id).await;
        for day in [24, 25, 26] {
            tick(&app, at(11, day, 18, 1)).await;
        }

        // Friday 27 November: the second complaint is verified (two within 22 working days:
        // 吴环评 may not be awarded this year), and 消防 receives a written thanks (+2).
        app.clock.set(at(11, 27, 10, 0));
        let admin = app.login("admin").await;
        app.ok(Some(&admin), VERIFY, json!({ "id": second["id"] })).await;
        let xfjy = app.ok(Some(&admin), "{ departments { id code } }", json!({})).await["departments"].as_array().unwrap().iter().find(|d| d["code"] == "XFJY").unwrap()["id"].clone();
        let xfjy_a = flows::staff_id(&app, "xfjy.a").await;
        const THANKS: &str = "mutation($input: RecordScoreInput!) { recordScore(input: $input) { points ruleCode reason causeKind } }";
        let empty = app.fails(Some(&admin), THANKS, json!({ "input": { "departmentId": xfjy, "ruleCode": "WRITTEN_THANKS", "reason": " " } })).await;
        assert_eq!(code(&empty), "INVALID_INPUT", "a manual entry needs a reason");
        let thanks = app.ok(Some(&admin), THANKS, json!({ "input": { "departmentId": xfjy, "staffId": xfjy_a, "ruleCode": "WRITTEN_THANKS", "reason": "申请人来信表扬刘消防上门指导。" } })).await;
        assert_eq!(thanks["recordScore"], json!({ "points": 2, "ruleCode": "WRITTEN_THANKS", "reason": "申请人来信表扬刘消防上门指导。", "causeKind": "MANUAL" }));

        // Monday 30 November 10:00: 吴环评 is away today and tomorrow; 徐环评 acts for them.
        app.clock.set(at(11, 30, 9, 0));
        let sthj_head = app.login("sthj.head").await;
        app.ok(Some(&sthj_head), "mutation($input: RecordAbsenceInput!) { recordAbsence(input: $input) { id } }",
            json!({ "input": { "staffId": sthj_a, "startsAt": at(11, 30, 8, 0), "endsAt": at(12, 2, 8, 0), "reason": "病假" } })).await;
        tick(&app, at(11, 30, 10, 0)).await;

        // The leadership board.
        let leader = app.login("leader").await;
        let board = app.readme(Some(&leader), "LeadershipBoard", json!({})).await["leadershipBoard"].clone();
        assert_eq!((board["year"].clone(), board["month"].clone()), (json!(2026), json!(11)));
        // Open: C's three tasks (red, 5 working days overdue) and its own clock (due today
        // 18:00: yellow). Finished in November: A, B and D — 12 clocks, one late (B's 环评).
        assert_eq!(board["centre"]["open"], 4);
        assert_eq!(board["centre"]["red"], 3);
        assert_eq!(board["centre"]["yellow"], 1);
        assert_eq!(board["centre"]["finishedThisMonth"], 12);
        assert_eq!(board["centre"]["onTimeThisMonth"], 11);
        // Open items: C's three 红牌 and B's rectification (B's 黄牌 item was archived).
        assert_eq!(board["centre"]["openSupervision"], 4);
        let sthj = line(&board, "STHJ");
        assert_eq!(sthj["counts"]["red"], 1);
        assert_eq!(sthj["counts"]["finishedThisMonth"], 3);
        assert_eq!(sthj["counts"]["onTimeThisMonth"], 2);
        assert!((sthj["counts"]["onTimeRate"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(sthj["counts"]["openSupervision"], 1);
        assert_eq!(sthj["counts"]["redCardItems"], 1);
        assert_eq!(sthj["oldestItemAgeDays"], 3, "opened Tue 24 Nov 18:01: three whole working days by Mon 30 Nov 10:00");
        let scjg = line(&board, "SCJG");
        assert_eq!((scjg["counts"]["yellow"].clone(), scjg["counts"]["red"].clone()), (json!(1), json!(0)));
        assert_eq!(scjg["counts"]["onTimeRate"], 1.0);
        assert_eq!(scjg["counts"]["openSupervision"], 1, "the rectification");
        assert_eq!(line(&board, "CSGL")["counts"]["onTimeRate"], Value::Null, "nothing finished");
        let ranked: Vec<&str> = board["departments"].as_array().unwrap().iter().map(|d| d["department"]["code"].as_str().unwrap()).collect();
        assert_eq!(&ranked[3..], ["SCJG", "CSGL", "ZXGLB"], "red departments first, then yellow: {ranked:?}");
        let overdue = board["oldestOverdue"].as_array().unwrap();
        assert_eq!(overdue.len(), 3);
        assert!(overdue.iter().all(|o| o["number"] == c_number.as_str() && o["overdueDays"] == 4), "{overdue:?}");
        let items = board["openItems"].as_array().unwrap();
        assert_eq!(items[0]["item"]["source"], "BAD_REVIEW", "the oldest open item first");
        assert_eq!(items[0]["ageDays"], 12, "Wed 11 Nov 15:00 → Mon 30 Nov 10:00");

        // 生态环境局's board: its queue, who is away and who acts for them, its score.
        const DEPT: &str = "query($d: ID!) { departmentBoard(departmentId: $d) { counts { red open } queue { assignee { username } actingFor { username } } away { staff { username } acting { username } } scoreThisMonth scoreEntriesThisMonth } }";
        let sthj_id = app.ok(Some(&leader), "{ departments { id code } }", json!({})).await["departments"].as_array().unwrap().iter().find(|d| d["code"] == "STHJ").unwrap()["id"].clone();
        let dept = app.ok(Some(&sthj_head), DEPT, json!({ "d": sthj_id })).await["departmentBoard"].clone();
        assert_eq!(dept["counts"]["red"], 1);
        assert_eq!(dept["queue"], json!([{ "assignee": { "username": "sthj.b" }, "actingFor": { "username": "sthj.a" } }]));
        assert_eq!(dept["away"], json!([{ "staff": { "username": "sthj.a" }, "acting": [{ "username": "sthj.b" }] }]));
        // −5 (B overdue) −5 (C overdue) −12 (late reply) −3 −3 (two verified attitude complaints).
        assert_eq!(dept["scoreThisMonth"], -28);
        assert_eq!(dept["scoreEntriesThisMonth"], 5);
        let xfjy_head = app.login("xfjy.head").await;
        let refused = app.fails(Some(&xfjy_head), DEPT, json!({ "d": sthj_id })).await;
        assert_eq!(code(&refused), "FORBIDDEN", "another department's board");

        // Why 生态环境局 lost its points: each entry points at its cause.
        let entries = app.ok(Some(&sthj_head), "{ scoreEntries { nodes { ruleCode points causeKind reason case { number } staff { username } } } }", json!({})).await["scoreEntries"]["nodes"].clone();
        let mut causes: Vec<(String, i64, String)> = entries.as_array().unwrap().iter()
            .map(|e| (e["ruleCode"].as_str().unwrap().to_owned(), e["points"].as_i64().unwrap(), e["causeKind"].as_str().unwrap().to_owned()))
            .collect();
        causes.sort();
        assert_eq!(causes, [
            ("CASE_OVERDUE".to_owned(), -5, "ESCALATED".to_owned()),
            ("CASE_OVERDUE".to_owned(), -5, "ESCALATED".to_owned()),
            ("COMPLAINT_ATTITUDE".to_owned(), -3, "COMPLAINT_VERIFIED".to_owned()),
            ("COMPLAINT_ATTITUDE".to_owned(), -3, "COMPLAINT_VERIFIED".to_owned()),
            ("COMPLAINT_LATE_DAY".to_owned(), -12, "COMPLAINT_REPLIED".to_owned()),
        ]);
        assert!(entries.as_array().unwrap().iter().any(|e| e["case"]["number"] == c_number.as_str() && e["staff"]["username"] == "sthj.a"));

        // The month's report: per department and staff, with the award flags.
        let report = app.readme(Some(&leader), "ScoreReport", json!({ "year": 2026, "month": 11 })).await["scoreReport"].clone();
        let points = |name: &str| report["departments"].as_array().unwrap().iter().find(|d| d["name"] == name).unwrap()["points"].as_i64().unwrap();
        assert_eq!(points("生态环境局"), -28);
        assert_eq!(points("消防救援大队"), -3, "C overdue −5, thanks +2");
        assert_eq!(points("卫生健康局"), -5);
        assert_eq!(points("市场监管局"), -2, "B's bad review");
        assert_eq!(points("城市管理局"), 0);
        let person = |u: &str| report["staff"].as_array().unwrap().iter().find(|s| s["staff"]["username"] == u).unwrap().clone();
        let wu = person("sthj.a");
        assert_eq!((wu["points"].clone(), wu["overdueCasesThisYear"].clone(), wu["verifiedComplaintsThisYear"].clone()), (json!(-16), json!(2), json!(2)));
        assert_eq!(wu["ineligibleForAward"], true);
        assert_eq!(wu["ineligibilityReasons"], json!(["22个工作日内被有效投诉2次"]));
        let liu = person("xfjy.a");
        assert_eq!((liu["points"].clone(), liu["ineligibleForAward"].clone()), (json!(-3), json!(false)));
        assert_eq!(person("scjg.window")["points"], -2);

        // The same report as CSV, with a byte-order mark so a spreadsheet keeps the Chinese.
        let url = format!("http://{}/reports/scores.csv?year=2026&month=11", app.addr);
        let csv = app.client.get(&url).header("Authorization", format!("Bearer {leader}")).send().await.unwrap();
        assert_eq!(csv.status(), 200);
        assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
        let bytes = csv.bytes().await.unwrap();
        assert_eq!(&bytes[..3], [0xEF, 0xBB, 0xBF]);
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert!(text.starts_with("类型,部门,姓名,净分,"), "{text}");
        assert!(text.lines().any(|l| l.starts_with("部门,生态环境局,,-28,5,")), "{text}");
        assert!(text.lines().any(|l| l.starts_with("人员,生态环境局,吴环评,-16,") && l.contains("不得评优")), "{text}");
        let anonymous = app.client.get(&url).send().await.unwrap();
        assert_eq!(anonymous.status(), 401);
        let body: Value = anonymous.json().await.unwrap();
        assert_eq!(body["code"], "UNAUTHENTICATED");
        let bad = app.client.get(format!("http://{}/reports/scores.csv?year=2026&month=13", app.addr)).header("Authorization", format!("Bearer {leader}")).send().await.unwrap();
        assert_eq!(bad.status(), 400);
    }
}
