//! 投诉 — a complaint taken down at the window, replied to by the department, late replies
//! counted in working days, and the complainant's identity kept from everybody but the centre
//! admin and supervisors.

use crate::support::{code, flows};
use chrono::Duration;
use serde_json::{Value, json};

const FILE: &str = "mutation($input: FileComplaintInput!) { fileComplaint(input: $input) { id status target department { code } staff { username } replyDueAt } }";
const REPLY: &str = "mutation($id: ID!, $reply: String!) { replyComplaint(id: $id, reply: $reply) { status reply repliedAt lateWorkingDays } }";
const LIST: &str =
    "{ complaints { nodes { id content complainant { name phone } department { code } } } }";

fn input(extra: Value) -> Value {
    let mut input = json!({ "channel": "PHONE", "complainantName": "赵投诉", "complainantPhone": "13700137000", "content": "窗口人员态度生硬。" });
    input
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    json!({ "input": input })
}

on_both_databases! {
    async fn a_complaint_is_replied_to_late_and_only_admin_and_supervisors_see_who_complained(app: TestApp) {
        let window = app.login("scjg.window").await;
        let xfjy_a = flows::staff_id(&app, "xfjy.a").await;
        let filed = app.ok(Some(&window), FILE, input(json!({ "target": "STAFF", "staffId": xfjy_a, "idempotencyKey": "k1" }))).await["fileComplaint"].clone();
        assert_eq!(filed["status"], "OPEN");
        assert_eq!(filed["department"]["code"], "XFJY", "the staff member's department answers");
        assert_eq!(filed["replyDueAt"], "2026-11-30T01:00:00+00:00", "five working days: Monday 30 Nov 09:00");
        let again = app.ok(Some(&window), FILE, input(json!({ "target": "STAFF", "staffId": xfjy_a, "idempotencyKey": "k1" }))).await;
        assert_eq!(again["fileComplaint"]["id"], filed["id"], "the same key files nothing new");
        let id = filed["id"].as_str().unwrap().to_owned();

        // Bad input: a target without its subject, an empty content; nothing is written.
        let refused = app.fails(Some(&window), FILE, input(json!({ "target": "CASE" }))).await;
        assert_eq!(code(&refused), "INVALID_INPUT");
        let refused = app.fails(Some(&window), FILE, input(json!({ "target": "DEPARTMENT", "content": " " }))).await;
        assert_eq!(code(&refused), "INVALID_INPUT");
        let reviewer = app.login("sthj.a").await;
        let refused = app.fails(Some(&reviewer), FILE, input(json!({ "target": "STAFF", "staffId": xfjy_a }))).await;
        assert_eq!(code(&refused), "FORBIDDEN");

        // Who sees the complainant.
        for (who, sees) in [("admin", true), ("supervisor", true), ("leader", false), ("xfjy.head", false)] {
            let token = app.login(who).await;
            let list = app.ok(Some(&token), LIST, json!({})).await;
            let items = list["complaints"]["nodes"].as_array().unwrap();
            assert_eq!(items.len(), 1, "{who}");
            let complainant = &items[0]["complainant"];
            if sees {
                assert_eq!(complainant["name"], "赵投诉", "{who}");
                assert_eq!(complainant["phone"], "13700137000", "{who}");
            } else {
                assert!(complainant.is_null(), "{who} must not see the complainant: {complainant}");
                assert!(!list.to_string().contains("赵投诉") && !list.to_string().contains("13700137000"), "{who}");
            }
        }
        let sthj_head = app.login("sthj.head").await;
        let other = app.ok(Some(&sthj_head), LIST, json!({})).await;
        assert_eq!(other["complaints"]["nodes"], json!([]), "another department's head sees none");

        // The department's head hears of it, without the complainant's identity.
        app.workers.send(app.engine.now()).await.unwrap();
        let mail = app.workers.mailer.sent();
        let heard: Vec<_> = mail.iter().filter(|m| m.subject.contains("投诉")).collect();
        assert_eq!(heard.len(), 1);
        assert_eq!(heard[0].to, "xfjy.head@lianban.example");
        assert!(heard[0].text.contains("窗口人员态度生硬") && !heard[0].text.contains("赵投诉"), "{}", heard[0].text);

        // Replied on Wednesday 2 Dec 10:00, two working days and two hours after the deadline
        // (Monday 09:00): three started working days late.
        let refused = app.fails(Some(&sthj_head), REPLY, json!({ "id": id, "reply": "x" })).await;
        assert_eq!(code(&refused), "FORBIDDEN");
        app.clock.advance(Duration::days(9) + Duration::hours(1));
        let xfjy_head = app.login("xfjy.head").await;
        let replied = app.ok(Some(&xfjy_head), REPLY, json!({ "id": id, "reply": "已约谈当事人，向群众致歉。" })).await["replyComplaint"].clone();
        assert_eq!(replied["status"], "REPLIED");
        assert_eq!(replied["lateWorkingDays"], 3, "{replied}");
        let refused = app.fails(Some(&xfjy_head), REPLY, json!({ "id": id, "reply": "again" })).await;
        assert_eq!(code(&refused), "INVALID_STATE");
    }
}
