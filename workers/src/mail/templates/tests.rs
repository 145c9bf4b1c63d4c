use super::*;
use lianban_rules::escalation::ladder::Step;
use lianban_rules::mail::{
    CaseStatusChanged, DigestCard, DigestGroup, DigestItem, LadderItem, LadderMail,
    LeadershipDigest,
};
use serde_json::json;
use uuid::Uuid;

fn ctx() -> TemplateContext {
    TemplateContext {
        centre: "示范市政务服务中心".into(),
        base_url: "https://lianban.example/".into(),
    }
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn item(number: &str, department: &str, step: Step) -> LadderItem {
    LadderItem {
        case_id: Uuid::now_v7(),
        number: number.into(),
        matter: Some("餐饮店开业".into()),
        department: department.into(),
        task_id: None,
        due_at: at("2026-11-30T10:00:00Z"),
        light: Light::Red,
        step,
        days_overdue: 1,
    }
}

#[test]
fn a_due_notice_names_the_case_matter_department_due_time_light_and_link() {
    let mail = Mail::LadderDue(LadderMail {
        items: vec![LadderItem {
            number: "LB-20261123-000001".into(),
            matter: Some("餐饮店开业（一件事）".into()),
            days_overdue: 0,
            ..item("", "消防救援大队", Step::Due)
        }],
    });
    let mail = render(&mail, None, &ctx());
    assert_eq!(mail.subject, "【联办·到期】LB-20261123-000001 已到办理期限");
    for part in [
        "办件编号：LB-20261123-000001",
        "事项：餐饮店开业（一件事）",
        "部门：消防救援大队",
        "办理期限：2026年11月30日 18:00",
        "状态灯：红灯（已超期）",
        "查看：https://lianban.example/cases/LB-20261123-000001",
        "示范市政务服务中心",
    ] {
        assert!(mail.text.contains(part), "{part} in {}", mail.text);
    }
    assert!(
        mail.html
            .contains("<a href=\"https://lianban.example/cases/LB-20261123-000001\">")
    );
}

#[test]
fn missing_facts_come_from_the_case_and_html_is_escaped() {
    let facts = MailFacts {
        number: "LB-1".into(),
        matter: "<食品>".into(),
        department: "市场监管局".into(),
        due_at: None,
        light: Some(Light::Green),
    };
    let mail = Mail::CaseStatusChanged(CaseStatusChanged {
        case_id: Uuid::now_v7(),
        number: "LB-1".into(),
        from: CaseStatus::Received,
        to: CaseStatus::InReview,
    });
    let mail = render(&mail, Some(&facts), &ctx());
    assert!(mail.text.contains("由「已收件」变为「审查中」"));
    assert!(mail.text.contains("状态灯：绿灯（正常）"));
    assert!(mail.html.contains("&lt;食品&gt;"));
}

#[test]
fn a_ladder_mail_about_several_cases_lists_each() {
    let mail = Mail::LadderYellowCard(LadderMail {
        items: vec![
            item("LB-1", "消防救援大队", Step::YellowCard),
            item("LB-2", "卫生健康局", Step::YellowCard),
        ],
    });
    let mail = render(&mail, None, &ctx());
    assert_eq!(
        mail.subject,
        "【联办·黄牌】2件事项超期1个工作日，已立项督办"
    );
    assert!(mail.text.contains("· LB-2 餐饮店开业（卫生健康局），办理期限2026年11月30日 18:00，红灯（已超期），查看：https://lianban.example/cases/LB-2"), "{}", mail.text);
}

#[test]
fn the_digest_lists_red_items_by_department() {
    let group = |department: &str, number: &str, card| DigestGroup {
        department: department.into(),
        items: vec![DigestItem {
            number: number.into(),
            matter: Some("餐饮店开业".into()),
            due_at: at("2026-11-30T10:00:00Z"),
            card,
            task: true,
        }],
    };
    let mail = Mail::LeadershipDigest(LeadershipDigest {
        date: "2026-12-04".parse().unwrap(),
        total: 2,
        groups: vec![
            group("消防救援大队", "LB-1", DigestCard::RedCard),
            group("卫生健康局", "LB-2", DigestCard::YellowCard),
        ],
    });
    let mail = render(&mail, None, &ctx());
    assert_eq!(mail.subject, "【联办·晨报】2026年12月04日 红灯事项2件");
    assert!(mail.text.contains("消防救援大队（1件）"));
    assert!(
        mail.text
            .contains("· LB-2 餐饮店开业，期限2026年11月30日 18:00，黄牌")
    );
}

/// Reads back a message as the engine stored it before mail was typed, and renders it.
fn stored(template: &str, payload: serde_json::Value, facts: Option<&MailFacts>) -> Rendered {
    let mail = Mail::decode(template, &payload).unwrap_or_else(|e| panic!("{e}"));
    render(&mail, facts, &ctx())
}

#[test]
fn messages_queued_before_mail_was_typed_decode_and_render_as_before() {
    let case = "0196f2c4-0000-7000-8000-000000000001";
    let task = "0196f2c4-0000-7000-8000-000000000002";
    let assigned = stored(
        "task_assigned",
        json!({ "caseId": case, "number": "LB-20261123-000001", "taskId": task }),
        None,
    );
    assert_eq!(assigned.subject, "【联办】新协办任务 LB-20261123-000001");
    assert!(assigned.text.starts_with(
        "您有一项新的协办任务，请在期限内提出审查意见。\n\n办件编号：LB-20261123-000001\n"
    ));

    let facts = MailFacts {
        number: "LB-20261123-000001".into(),
        matter: "餐饮店开业（一件事）".into(),
        department: "市场监督管理局".into(),
        due_at: Some(at("2026-11-30T10:00:00Z")),
        light: Some(Light::Yellow),
    };
    let changed = stored(
        "case_status_changed",
        json!({ "caseId": case, "number": "LB-20261123-000001", "from": "RECEIVED", "to": "IN_REVIEW" }),
        Some(&facts),
    );
    assert_eq!(changed.subject, "【联办】办件状态变更 LB-20261123-000001");
    assert!(
        changed
            .text
            .contains("您首问的办件状态已由「已收件」变为「审查中」。")
    );
    assert!(
        changed
            .text
            .contains("办理期限：2026年11月30日 18:00\n状态灯：黄灯（临近期限）")
    );

    let ladder_item = |number: &str, department: &str| {
        json!({
            "caseId": case, "number": number, "matter": "餐饮店开业（一件事）", "department": department,
            "taskId": task, "dueAt": "2026-11-30T10:00:00Z", "light": "RED", "step": "RED_CARD", "daysOverdue": 3,
        })
    };
    let several = stored(
        "ladder_red_card",
        json!({ "count": 2, "items": [ladder_item("LB-1", "消防救援大队"), ladder_item("LB-2", "卫生健康局")] }),
        None,
    );
    assert_eq!(
        several.subject,
        "【联办·红牌】2件事项超期3个工作日，提请领导督办"
    );
    assert!(several.text.contains("· LB-1 餐饮店开业（一件事）（消防救援大队），办理期限2026年11月30日 18:00，红灯（已超期），查看：https://lianban.example/cases/LB-1"), "{}", several.text);
    // One case: its fields at the top as well, with the count and the one item.
    let mut one = ladder_item("LB-3", "卫生健康局");
    one["count"] = json!(1);
    one["items"] = json!([ladder_item("LB-3", "卫生健康局")]);
    let one = stored("ladder_red_card", one, Some(&facts));
    assert_eq!(
        one.subject,
        "【联办·红牌】卫生健康局 办件LB-3超期3个工作日，提请领导督办"
    );
    assert!(one.text.contains("办件编号：LB-3\n事项：餐饮店开业（一件事）\n部门：卫生健康局\n办理期限：2026年11月30日 18:00\n状态灯：红灯（已超期）"), "{}", one.text);

    let chased = stored(
        "supervision_chased",
        json!({ "itemId": task, "caseId": null, "title": "办件超期", "detail": "请说明", "note": "尽快", "chases": 2, "replyDueAt": "" }),
        None,
    );
    assert_eq!(chased.subject, "【联办·督办】办件超期（第2次督办）");
    assert!(
        chased.text.contains("督办意见：尽快\n反馈期限：—"),
        "{}",
        chased.text
    );

    let alert = stored(
        "follow_up_alert",
        json!({ "kind": "COMPLAINT", "title": "态度差", "department": "卫生健康局", "replyDueAt": "2026-12-01T01:00:00Z", "step": "OVERDUE_2", "caseId": null }),
        None,
    );
    assert_eq!(alert.subject, "【联办·逾期】投诉答复：态度差");
    assert!(alert.text.contains("投诉答复已逾期2个工作日"));

    let code = stored(
        "appointment_code",
        json!({ "code": "YY-1", "kind": "节假日预约", "matter": "餐饮店开业", "confirmationCode": "482913",
                "validMinutes": 30, "slotStart": null, "slotEnd": null, "window": null, "location": null, "day": "2026-10-03" }),
        None,
    );
    assert!(
        code.text.starts_with(
            "您好：本邮箱被用于提交一项节假日预约申请。验证码：482913（30分钟内有效）。"
        )
    );
    assert!(code.text.contains("预约号：YY-1\n申请日期：2026-10-03\n"));
}

#[test]
fn every_status_has_its_own_name() {
    let names: std::collections::HashSet<&str> =
        CaseStatus::ALL.iter().map(|s| status_name(*s)).collect();
    assert_eq!(names.len(), CaseStatus::ALL.len());
}
