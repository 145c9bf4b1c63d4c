//! The README walkthrough and the other paths of the slice: a joint case from the window to a
//! decision, a promised case, an immediate case, and a decision over an objection.

use crate::support::flows::{self, TaskRef};
use crate::support::{code, monday_nine};
use chrono::{DateTime, Duration, Utc};
use serde_json::json;

fn at(value: &serde_json::Value) -> DateTime<Utc> {
    value.as_str().unwrap().parse().unwrap()
}

on_both_databases! {
    async fn the_readme_walkthrough_takes_a_joint_case_to_decided(app: TestApp) {
        // 1–2. The window clerk signs in and opens a case for the joint matter.
        let login = app
            .readme(None, "Login", json!({ "username": "scjg.window", "password": "Lianban@2026" }))
            .await;
        assert_eq!(login["login"]["me"]["name"], "王窗口");
        assert_eq!(login["login"]["me"]["roles"], json!(["WINDOW"]));
        let window = login["login"]["token"].as_str().unwrap().to_owned();
        let opened = app.readme(Some(&window), "OpenJointCase", json!({})).await["openCase"].clone();
        assert_eq!(opened["status"], "RECEIVED");
        assert_eq!(opened["firstResponder"]["name"], "王窗口");
        let number = opened["number"].as_str().unwrap().to_owned();
        assert_eq!(number, "LB-20261123-000001");
        let case_id = opened["id"].as_str().unwrap().to_owned();

        // 3. Acceptance starts the clock and fans out one task per co-handling department.
        let (accepted, tasks) = flows::accept(&app, &window, &case_id).await;
        assert_eq!(accepted["status"], "IN_REVIEW");
        assert_eq!(at(&accepted["acceptedAt"]), monday_nine());
        let mut departments: Vec<&str> = tasks.iter().map(|t| t.department.as_str()).collect();
        departments.sort();
        assert_eq!(departments, ["卫生健康局", "消防救援大队", "生态环境局"]);
        let assignees: Vec<&str> = tasks.iter().map(|t| t.assignee.as_str()).collect();
        assert_eq!(assignees, ["xfjy.a", "sthj.a", "wsjk.a"], "each post's A holder");
        // 10 working days from Monday 23 Nov (not counted) end Monday 7 Dec at 18:00 (10:00Z);
        // each department's 5 days end Monday 30 Nov.
        assert_eq!(at(&accepted["dueAt"]).to_rfc3339(), "2026-12-07T10:00:00+00:00");
        for task in accepted["tasks"].as_array().unwrap() {
            assert_eq!(at(&task["dueAt"]).to_rfc3339(), "2026-11-30T10:00:00+00:00");
        }

        // 4–5. Each reviewer sees exactly their task in myTasks and answers it.
        let conditions = [
            ("xfjy.a", Some("开业前通过消防安全检查")),
            ("sthj.a", None),
            ("wsjk.a", Some("从业人员持健康证明上岗")),
        ];
        for (i, (username, condition)) in conditions.iter().enumerate() {
            let token = app.login(username).await;
            let queue = app.readme(Some(&token), "MyTasks", json!({})).await;
            let edges = queue["myTasks"]["edges"].as_array().unwrap();
            assert_eq!(edges.len(), 1, "{username} sees one open task");
            let node = &edges[0]["node"];
            assert_eq!(node["case"]["number"], number.as_str());
            assert_eq!(node["case"]["matter"]["name"], "餐饮店开业（一件事）");
            let task_id = node["id"].as_str().unwrap();
            let answer = match condition {
                None => app.readme(Some(&token), "Approve", json!({ "taskId": task_id })).await,
                Some(c) => {
                    app.readme(Some(&token), "ApproveWithConditions", json!({ "taskId": task_id, "conditions": [c] }))
                        .await
                }
            };
            assert_eq!(answer["submitOpinion"]["task"]["status"], "RESOLVED");
            let (status, _) = flows::status_and_timeline(&app, &window, &case_id).await;
            let expected = if i < 2 { "IN_REVIEW" } else { "AWAITING_DECISION" };
            assert_eq!(status, expected, "after {} of 3 opinions", i + 1);
            let after = app.readme(Some(&token), "MyTasks", json!({})).await;
            assert_eq!(after["myTasks"]["edges"], json!([]), "{username}'s queue is empty");
        }

        // 6. The lead window decides; the conditions are merged and attributed.
        app.clock.advance(Duration::hours(2));
        let decided = app.readme(Some(&window), "Decide", json!({ "caseId": case_id })).await;
        assert_eq!(decided["decideCase"]["status"], "DECIDED");
        assert_eq!(
            decided["decideCase"]["decision"]["conditions"],
            json!([
                { "department": "消防救援大队", "text": "开业前通过消防安全检查" },
                { "department": "卫生健康局", "text": "从业人员持健康证明上岗" },
            ])
        );

        // 7. Read back by number: DECIDED, with the whole timeline in order.
        let read = app.readme(Some(&window), "CaseTimeline", json!({ "number": number })).await;
        let case = &read["caseByNumber"];
        assert_eq!(case["status"], "DECIDED");
        assert_eq!(case["decision"]["outcome"], "APPROVED");
        assert_eq!(at(&case["decision"]["decidedAt"]), monday_nine() + Duration::hours(2));
        let kinds: Vec<&str> = case["timeline"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert_eq!(
            kinds,
            [
                "CASE_OPENED", "CASE_ACCEPTED", "TASK_CREATED", "TASK_CREATED", "TASK_CREATED",
                "NOTICE_ISSUED", "OPINION_SUBMITTED", "TASK_RESOLVED", "OPINION_SUBMITTED",
                "TASK_RESOLVED", "OPINION_SUBMITTED", "TASK_RESOLVED", "CASE_AWAITING_DECISION",
                "CASE_DECIDED", "NOTICE_ISSUED",
            ]
        );
        let actors: Vec<&str> = case["timeline"].as_array().unwrap().iter().map(|e| e["actor"]["name"].as_str().unwrap_or("")).collect();
        assert_eq!(actors[0], "王窗口");
        assert_eq!(actors[6], "刘消防");
        assert_eq!(actors[12], "", "the engine itself moves the case to AWAITING_DECISION");
        assert_eq!(actors[13], "王窗口");

        // The applicant's documents: the acceptance notice naming the first responder, and the
        // decision with every condition.
        let notices = case["notices"].as_array().unwrap();
        assert_eq!(notices.len(), 2);
        assert_eq!(notices[0]["kind"], "ACCEPTANCE");
        assert!(notices[0]["body"].as_str().unwrap().contains("首问责任人：王窗口"));
        assert_eq!(notices[1]["kind"], "DECISION");
        assert_eq!(notices[1]["title"], format!("准予许可决定书（{number}）"));
        assert!(notices[1]["body"].as_str().unwrap().contains("开业前通过消防安全检查（消防救援大队）"));
    }

    async fn the_case_waits_for_every_department_before_the_decision(app: TestApp) {
        let (window, case_id, _, tasks) = flows::joint_case_in_review(&app).await;
        flows::approve(&app, &tasks[0]).await;
        flows::approve(&app, &tasks[1]).await;
        let error = app.fails(Some(&window), crate::support::readme::operation("Decide"), json!({ "caseId": case_id })).await;
        assert_eq!(code(&error), "INVALID_STATE");
        let (status, timeline) = flows::status_and_timeline(&app, &window, &case_id).await;
        assert_eq!(status, "IN_REVIEW");
        assert!(!timeline.contains(&"CASE_DECIDED".to_owned()));
    }

    async fn approving_over_a_reject_needs_a_written_reason(app: TestApp) {
        let (window, case_id, _, tasks) = flows::joint_case_in_review(&app).await;
        flows::approve(&app, &tasks[0]).await;
        flows::approve(&app, &tasks[2]).await;
        let objector: &TaskRef = &tasks[1];
        let token = app.login(&objector.assignee).await;
        app.ok(
            Some(&token),
            "mutation($t: ID!) { submitOpinion(input: { taskId: $t, kind: REJECT, reason: \"油烟净化设施未达标\", legalBasis: \"《大气污染防治法》第八十一条\" }) { kind reason legalBasis } }",
            json!({ "t": objector.id }),
        )
        .await;
        let decide = "mutation($c: ID!, $r: String) { decideCase(input: { caseId: $c, outcome: APPROVED, reason: $r }) { status decision { reason } } }";
        let error = app.fails(Some(&window), decide, json!({ "c": case_id })).await;
        assert_eq!(code(&error), "INVALID_INPUT");
        assert_eq!(error["extensions"]["field"], "reason");
        let (status, _) = flows::status_and_timeline(&app, &window, &case_id).await;
        assert_eq!(status, "AWAITING_DECISION", "nothing changed");

        let data = app.ok(Some(&window), decide, json!({ "c": case_id, "r": "申请人已提交整改承诺并经复核" })).await;
        assert_eq!(data["decideCase"]["status"], "DECIDED");
        assert_eq!(data["decideCase"]["decision"]["reason"], "申请人已提交整改承诺并经复核");
        let timeline = app
            .ok(Some(&window), "query($id: ID!) { case(id: $id) { timeline { kind after } } }", json!({ "id": case_id }))
            .await;
        let decided = timeline["case"]["timeline"].as_array().unwrap().iter().find(|e| e["kind"] == "CASE_DECIDED").unwrap().clone();
        let overruled = timeline["case"]["timeline"].as_array().unwrap().iter().find(|e| e["kind"] == "OBJECTION_OVERRULED").unwrap().clone();
        assert_eq!(overruled["after"]["department"], "生态环境局");
        assert_eq!(decided["after"]["overruledDepartmentIds"].as_array().unwrap().len(), 1);
    }

    async fn a_promised_case_is_reviewed_by_the_lead_departments_post(app: TestApp) {
        let window = app.login("scjg.window").await;
        let (case_id, _) = flows::open_case(&app, &window, "SCJG-PRM-001").await;
        let (accepted, tasks) = flows::accept(&app, &window, &case_id).await;
        assert_eq!(accepted["status"], "IN_REVIEW");
        assert_eq!(tasks.len(), 1);
        assert_eq!(tasks[0].department, "市场监管局");
        assert_eq!(tasks[0].assignee, "scjg.a");
        flows::approve(&app, &tasks[0]).await;
        let decided = app.readme(Some(&window), "Decide", json!({ "caseId": case_id })).await;
        assert_eq!(decided["decideCase"]["status"], "DECIDED");
    }

    async fn an_immediate_case_is_decided_at_the_window_within_thirty_working_minutes(app: TestApp) {
        let window = app.login("scjg.window").await;
        let (case_id, _) = flows::open_case(&app, &window, "SCJG-IMM-001").await;
        let (accepted, tasks) = flows::accept(&app, &window, &case_id).await;
        assert_eq!(accepted["status"], "ACCEPTED");
        assert!(tasks.is_empty(), "an immediate case has no tasks");
        assert_eq!(at(&accepted["dueAt"]), monday_nine() + Duration::minutes(30));
        let decided = app.readme(Some(&window), "Decide", json!({ "caseId": case_id })).await;
        assert_eq!(decided["decideCase"]["status"], "DECIDED");
    }

    async fn a_case_accepted_at_the_counter_is_opened_and_fanned_out_in_one_step(app: TestApp) {
        let window = app.login("scjg.window").await;
        let open = "mutation($m: String!) { openCase(input: { matterCode: $m, acceptNow: true, applicant: { name: \"孙七\", idNumber: \"110101199003071234\", phone: \"13600136000\" } }) { status acceptedAt tasks { department { name } } notices { kind } timeline { kind } } }";
        let opened = app.ok(Some(&window), open, json!({ "m": "JOINT-001" })).await["openCase"].clone();
        assert_eq!(opened["status"], "IN_REVIEW");
        assert_eq!(opened["tasks"].as_array().unwrap().len(), 3);
        assert_eq!(opened["notices"][0]["kind"], "ACCEPTANCE");
        assert_eq!(opened["timeline"][0]["kind"], "CASE_OPENED");
        assert_eq!(opened["timeline"][1]["kind"], "CASE_ACCEPTED");
        let refused = app.fails(Some(&window), open, json!({ "m": "SCJG-CON-001" })).await;
        assert_eq!(code(&refused), "INVALID_STATE", "a consultation is answered, not accepted");
        let admin = app.login("admin").await;
        let all = app.ok(Some(&admin), "{ cases { edges { node { id } } } }", json!({})).await;
        assert_eq!(all["cases"]["edges"].as_array().unwrap().len(), 1, "the refused one was not half-written");
    }

    async fn a_consultation_is_not_accepted_for_review(app: TestApp) {
        let window = app.login("scjg.window").await;
        let (case_id, _) = flows::open_case(&app, &window, "SCJG-CON-001").await;
        let error = app.fails(Some(&window), crate::support::readme::operation("AcceptCase"), json!({ "caseId": case_id })).await;
        assert_eq!(code(&error), "INVALID_STATE");
        let (status, timeline) = flows::status_and_timeline(&app, &window, &case_id).await;
        assert_eq!(status, "RECEIVED");
        assert_eq!(timeline, ["CASE_OPENED"]);
    }
}
