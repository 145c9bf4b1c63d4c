use super::*;
use crate::enums::{AppointmentKind, CaseStatus, UrgentCategory};
use crate::escalation::ladder::Step;
use crate::follow_up::Alert;
use chrono::NaiveDate;
use serde_json::json;

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn item(n: u128, step: Step) -> LadderItem {
    LadderItem {
        case_id: id(n),
        number: format!("LB-{n}"),
        matter: Some("餐饮店开业".into()),
        department: "消防救援大队".into(),
        task_id: None,
        due_at: at("2026-11-30T10:00:00Z"),
        light: Light::Red,
        step,
        days_overdue: 1,
    }
}

/// Each template once, as the engine builds it.
fn samples() -> Vec<Mail> {
    vec![
        Mail::TaskAssigned(TaskAssigned {
            case_id: id(1),
            number: "LB-1".into(),
            task_id: id(2),
        }),
        Mail::CaseStatusChanged(CaseStatusChanged {
            case_id: id(1),
            number: "LB-1".into(),
            from: CaseStatus::Received,
            to: CaseStatus::InReview,
        }),
        Mail::TaskUrgent(TaskUrgent {
            case_id: id(1),
            task_id: id(2),
            category: UrgentCategory::MajorProject,
            reason: "重点项目".into(),
            limit: Some(3),
            due_at: None,
        }),
        Mail::LadderDue(LadderMail {
            items: vec![item(1, Step::Due)],
        }),
        Mail::DutyEscalation(LadderMail {
            items: vec![item(1, Step::YellowCard), item(2, Step::YellowCard)],
        }),
        Mail::LeadershipDigest(LeadershipDigest {
            date: day("2026-12-04"),
            total: 1,
            groups: vec![DigestGroup {
                department: "卫生健康局".into(),
                items: vec![DigestItem {
                    number: "LB-2".into(),
                    matter: None,
                    due_at: at("2026-11-30T10:00:00Z"),
                    card: DigestCard::YellowCard,
                    task: true,
                }],
            }],
        }),
        Mail::SupervisionChased(SupervisionMail {
            item_id: id(3),
            case_id: None,
            title: "督办".into(),
            detail: "事由".into(),
            note: Some("请抓紧".into()),
            chases: 2,
            reply_due_at: Some(at("2026-12-01T10:00:00Z")),
        }),
        Mail::FollowUpAlert(FollowUpAlert {
            kind: FollowUpKind::Complaint,
            title: "投诉".into(),
            department: "卫生健康局".into(),
            reply_due_at: None,
            step: Alert::Overdue(2),
            case_id: Some(id(1)),
        }),
        Mail::AppointmentCode(AppointmentCode {
            code: "Y1".into(),
            kind: AppointmentKind::HomeVisit,
            matter: "餐饮店开业".into(),
            confirmation_code: "123456".into(),
            valid_minutes: 30,
            slot_start: None,
            slot_end: None,
            window: None,
            location: None,
            day: Some(day("2026-10-02")),
        }),
        Mail::DutyGap(DutyGap {
            days: vec![GapDay {
                day: day("2026-10-01"),
                working: false,
                name: Some("国庆节".into()),
            }],
        }),
    ]
}

#[test]
fn every_template_round_trips_through_its_stored_form() {
    for mail in samples() {
        let (key, payload) = mail.stored().unwrap();
        assert!(Mail::TEMPLATES.contains(&key), "{key}");
        assert_eq!(
            Mail::decode(key, &payload),
            Ok(mail.clone()),
            "{key}: {payload}"
        );
        // The serde form of the enum is the outbox's: template and payload.
        let tagged = serde_json::to_value(&mail).unwrap();
        assert_eq!(tagged, json!({ "template": key, "payload": payload }));
    }
}

#[test]
fn the_stored_form_keeps_todays_field_names() {
    let stored = |mail: &Mail| mail.stored().unwrap();
    let all = samples();
    assert_eq!(
        stored(&all[1]),
        (
            "case_status_changed",
            json!({ "caseId": id(1), "number": "LB-1", "from": "RECEIVED", "to": "IN_REVIEW" })
        )
    );
    let (key, urgent) = stored(&all[2]);
    assert_eq!(key, "task_urgent");
    assert_eq!(urgent["category"], "重大投资项目");
    assert_eq!(urgent["limit"], 3);
    // A ladder mail about one case has its fields at the top too; about several, not.
    let (_, one) = stored(&all[3]);
    assert_eq!(one["count"], 1);
    assert_eq!(one["number"], "LB-1");
    assert_eq!(one["light"], "RED");
    assert_eq!(one["step"], "DUE");
    assert_eq!(one["daysOverdue"], 1);
    assert_eq!(one["items"][0]["number"], "LB-1");
    let (_, several) = stored(&all[4]);
    assert_eq!(several["count"], 2);
    assert!(several.get("number").is_none());
    assert_eq!(several["items"][1]["step"], "YELLOW_CARD");
    let (_, digest) = stored(&all[5]);
    assert_eq!(digest["date"], "2026年12月04日");
    assert_eq!(digest["groups"][0]["items"][0]["card"], "黄牌");
    let (_, alert) = stored(&all[7]);
    assert_eq!(
        (alert["kind"].clone(), alert["step"].clone()),
        (json!("COMPLAINT"), json!("OVERDUE_2"))
    );
    let (_, code) = stored(&all[8]);
    assert_eq!(
        (code["kind"].clone(), code["day"].clone()),
        (json!("上门服务"), json!("2026-10-02"))
    );
}

#[test]
fn messages_queued_before_the_types_still_decode() {
    // Literal payloads as the engine wrote them with json!().
    let assigned = Mail::decode(
        "task_assigned",
        &json!({ "caseId": id(1), "number": "LB-20261123-000001", "taskId": id(2) }),
    );
    assert!(matches!(assigned, Ok(Mail::TaskAssigned(ref m)) if m.number == "LB-20261123-000001"));
    let ladder = Mail::decode(
        "ladder_yellow_card",
        &json!({ "count": 2, "items": [
            { "caseId": id(1), "number": "LB-1", "matter": null, "department": "消防救援大队", "taskId": null,
              "dueAt": "2026-11-30T10:00:00Z", "light": "RED", "step": "YELLOW_CARD", "daysOverdue": 1 },
            { "caseId": id(2), "number": "LB-2", "matter": "餐饮店开业", "department": "卫生健康局", "taskId": id(9),
              "dueAt": "2026-11-30T10:00:00Z", "light": "RED", "step": "DAILY_3", "daysOverdue": 3 },
        ]}),
    );
    match ladder {
        Ok(Mail::LadderYellowCard(m)) => {
            assert_eq!(m.items.len(), 2);
            assert_eq!(m.items[1].step, Step::Daily(3));
            assert_eq!(m.items[0].matter, None);
        }
        other => panic!("{other:?}"),
    }
    // A chase of an item with no reply deadline stored it as an empty string.
    let chased = Mail::decode(
        "supervision_chased",
        &json!({
            "itemId": id(3), "caseId": null, "title": "t", "detail": "d", "note": "n", "chases": 1, "replyDueAt": "",
        }),
    );
    assert!(matches!(chased, Ok(Mail::SupervisionChased(ref m)) if m.reply_due_at.is_none()));
    let assigned = Mail::decode(
        "supervision_assigned",
        &json!({
            "itemId": id(3), "caseId": id(1), "title": "t", "detail": "d", "note": null, "chases": 0,
            "replyDueAt": "2026-12-01T10:00:00+00:00",
        }),
    );
    assert!(
        matches!(assigned, Ok(Mail::SupervisionAssigned(ref m)) if m.reply_due_at == Some(at("2026-12-01T10:00:00Z")))
    );
    let urgent = Mail::decode(
        "task_urgent",
        &json!({
            "caseId": id(1), "taskId": id(2), "category": "特事特办", "reason": "r", "limit": null, "dueAt": null,
        }),
    );
    assert!(matches!(urgent, Ok(Mail::TaskUrgent(ref m)) if m.category == UrgentCategory::Other));
}

#[test]
fn an_unknown_key_or_a_foreign_payload_says_which_template() {
    assert_eq!(
        Mail::decode("task_vanished", &json!({})),
        Err(MailDecodeError::UnknownTemplate("task_vanished".into()))
    );
    let bad = Mail::decode("task_assigned", &json!({ "caseId": id(1) }));
    let Err(MailDecodeError::Payload { template, error }) = bad else {
        panic!("{bad:?}");
    };
    assert_eq!(template, "task_assigned");
    assert!(error.contains("number"), "{error}");
    let bad = Mail::decode(
        "case_status_changed",
        &json!({ "caseId": id(1), "number": "LB-1", "from": "LOST", "to": "DECIDED" }),
    );
    assert!(bad.is_err_and(|e| e.to_string().contains("case_status_changed")));
}
