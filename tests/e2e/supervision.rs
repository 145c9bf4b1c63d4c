//! 督办 — a supervision item's lifecycle through GraphQL: opened by a supervisor, assigned by the
//! department's head with a reply deadline on the working calendar, chased (with mail), answered
//! and archived, each step an event on the case; the wrong people and the wrong order refused.

use crate::support::{code, flows};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

async fn department_id(app: &crate::support::TestApp, token: &str, code: &str) -> String {
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

/// The README's operation `name`.
fn op(name: &str) -> &'static str {
    crate::support::readme::operation(name)
}

on_both_databases! {
    async fn a_supervision_item_is_opened_assigned_chased_answered_and_archived(app: TestApp) {
        let (_, case_id, number, _) = flows::joint_case_in_review(&app).await;
        let supervisor = app.login("supervisor").await;
        let xfjy = department_id(&app, &supervisor, "XFJY").await;
        let open = op("OpenSupervision");
        let input = json!({ "input": { "departmentId": xfjy, "caseId": case_id, "title": "消防审查进度督办", "detail": "群众反映审查进度慢，请说明情况。", "idempotencyKey": "sv-1" } });
        let opened = app.ok(Some(&supervisor), open, input.clone()).await["openSupervision"].clone();
        assert_eq!(opened["status"], "OPENED");
        assert_eq!(opened["case"]["number"], number.as_str());
        let again = app.ok(Some(&supervisor), open, input).await["openSupervision"].clone();
        assert_eq!(again["id"], opened["id"], "the same key opens nothing new");
        let id = opened["id"].as_str().unwrap().to_owned();

        // Only the department's own head (or leadership) assigns, and only to its own staff.
        let sthj_head = app.login("sthj.head").await;
        let xfjy_a = flows::staff_id(&app, "xfjy.a").await;
        let assign = op("AssignSupervision");
        let refused = app.fails(Some(&sthj_head), assign, json!({ "id": id, "to": xfjy_a, "days": 3 })).await;
        assert_eq!(code(&refused), "FORBIDDEN");
        let xfjy_head = app.login("xfjy.head").await;
        let sthj_a = flows::staff_id(&app, "sthj.a").await;
        let refused = app.fails(Some(&xfjy_head), assign, json!({ "id": id, "to": sthj_a, "days": 3 })).await;
        assert_eq!(code(&refused), "INVALID_INPUT");
        // Nobody answers for it yet: it cannot be chased.
        let refused = app.fails(Some(&supervisor), op("ChaseSupervision"), json!({ "id": id, "note": "请加快" })).await;
        assert_eq!(code(&refused), "INVALID_STATE");
        let assigned = app.ok(Some(&xfjy_head), assign, json!({ "id": id, "to": xfjy_a, "days": 3 })).await["assignSupervision"].clone();
        assert_eq!(assigned["status"], "ASSIGNED");
        assert_eq!(assigned["assignee"]["username"], "xfjy.a");
        // Three working days from Monday 23 Nov 2026 09:00: Thursday 26 Nov 09:00 (01:00 UTC).
        let due: DateTime<Utc> = assigned["replyDueAt"].as_str().unwrap().parse().unwrap();
        assert_eq!(due, "2026-11-26T01:00:00Z".parse::<DateTime<Utc>>().unwrap());

        // Chased twice; a retried chase (same key) is one chase. The assignee and the head hear.
        let chase = op("ChaseSupervision");
        let leader = app.login("leader").await;
        let first = app.ok(Some(&supervisor), chase, json!({ "id": id, "note": "请于本周内反馈", "key": "c1" })).await;
        let retried = app.ok(Some(&supervisor), chase, json!({ "id": id, "note": "请于本周内反馈", "key": "c1" })).await;
        let second = app.ok(Some(&leader), chase, json!({ "id": id, "note": "领导再次督办" })).await;
        assert_eq!(first["chaseSupervision"], json!({ "status": "CHASED", "chases": 1 }));
        assert_eq!(retried["chaseSupervision"]["chases"], 1);
        assert_eq!(second["chaseSupervision"]["chases"], 2);
        let refused = app.fails(Some(&xfjy_head), chase, json!({ "id": id, "note": "x" })).await;
        assert_eq!(code(&refused), "FORBIDDEN", "a department does not chase itself");
        app.workers.send(app.engine.now()).await.unwrap();
        let mail = app.workers.mailer.sent();
        let chased: Vec<_> = mail.iter().filter(|m| m.subject.contains("督办")).collect();
        let to = |who: &str| chased.iter().filter(|m| m.to == format!("{who}@lianban.example")).count();
        assert_eq!((to("xfjy.a"), to("xfjy.head"), to("sthj.head")), (3, 2, 0), "{:?}", chased.iter().map(|m| (&m.to, &m.subject)).collect::<Vec<_>>());
        let chase_mail = chased.iter().find(|m| m.text.contains("领导再次督办")).unwrap();
        assert!(chase_mail.subject.contains("消防审查进度督办"), "{}", chase_mail.subject);
        assert!(chase_mail.text.contains("2026年11月26日 09:00"), "{}", chase_mail.text);

        // Archive waits for the answer; the answer comes from the department.
        let refused = app.fails(Some(&supervisor), op("ArchiveSupervision"), json!({ "id": id })).await;
        assert_eq!(code(&refused), "INVALID_STATE");
        let answer = op("AnswerSupervision");
        let sthj = app.login("sthj.a").await;
        let refused = app.fails(Some(&sthj), answer, json!({ "id": id, "answer": "x" })).await;
        assert_eq!(code(&refused), "FORBIDDEN");
        let xfjy_token = app.login("xfjy.a").await;
        let refused = app.fails(Some(&xfjy_token), answer, json!({ "id": id, "answer": "   " })).await;
        assert_eq!(code(&refused), "INVALID_INPUT");
        let answered = app.ok(Some(&xfjy_token), answer, json!({ "id": id, "answer": "已完成现场核查，明日出具意见。" })).await;
        assert_eq!(answered["answerSupervision"]["status"], "ANSWERED");
        let archived = app.ok(Some(&supervisor), op("ArchiveSupervision"), json!({ "id": id })).await["archiveSupervision"].clone();
        assert_eq!(archived["status"], "ARCHIVED");
        assert_eq!(archived["answer"], "已完成现场核查，明日出具意见。");
        assert!(!archived["archivedAt"].is_null());
        let refused = app.fails(Some(&supervisor), chase, json!({ "id": id, "note": "x" })).await;
        assert_eq!(code(&refused), "INVALID_STATE", "nothing follows the archive");

        // Every step is on the case's timeline; the department's head reads the item.
        let window = app.login("scjg.window").await;
        let (_, timeline) = flows::status_and_timeline(&app, &window, &case_id).await;
        let steps: Vec<&String> = timeline.iter().filter(|k| k.starts_with("SUPERVISION_")).collect();
        assert_eq!(steps, ["SUPERVISION_OPENED", "SUPERVISION_ASSIGNED", "SUPERVISION_CHASED", "SUPERVISION_CHASED", "SUPERVISION_ANSWERED", "SUPERVISION_ARCHIVED"]);
        let mine: Value = app.ok(Some(&xfjy_head), "{ supervisions(filter: {status: ARCHIVED}) { nodes { id chases } } }", json!({})).await;
        assert_eq!(mine["supervisions"]["nodes"], json!([{ "id": id, "chases": 2 }]));
        let refused = app.fails(Some(&window), open, json!({ "input": { "departmentId": xfjy, "title": "t", "detail": "d" } })).await;
        assert_eq!(code(&refused), "FORBIDDEN", "a window clerk opens no supervision item");
    }
}
