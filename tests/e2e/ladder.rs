//! The escalation ladder (SPEC §5) under a fake clock: a case left alone walks up every rung,
//! each exactly once, and the mail arrives at a real SMTP server.

use crate::support::smtp::{Received, SmtpSink};
use crate::support::{Mail, flows, monday_nine, spawn_app_with};
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::json;
use std::collections::HashMap;

/// A Shanghai-local instant in late 2026.
fn at(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, hour, minute, 0)
        .unwrap()
        - Duration::hours(8)
}

fn count(received: &[Received], to: &str, subject: &str) -> usize {
    received
        .iter()
        .filter(|m| m.to.iter().any(|t| t == to) && m.subject.contains(subject))
        .count()
}

/// Runs every job at `now`, twice: the second run must do nothing.
async fn tick(
    app: &crate::support::TestApp,
    now: DateTime<Utc>,
) -> lianban_workers::jobs::TickOutcome {
    app.clock.set(now);
    let first = app.workers.tick(now).await.unwrap();
    let again = app.workers.tick(now).await.unwrap();
    assert_eq!(
        again.sweep.fired.values().sum::<u64>(),
        0,
        "a second sweep at {now} fires nothing"
    );
    assert_eq!(again.send.sent, 0, "and sends nothing");
    first
}

async fn left_alone(db: crate::support::Db) {
    let mut sink = SmtpSink::start();
    let app = spawn_app_with(db, Mail::Smtp(sink.port)).await;
    let (_, case_id, number, _) = flows::joint_case_in_review(&app).await;
    // Monday 09:00: the departments hear of their tasks, the window of the acceptance.
    tick(&app, monday_nine()).await;
    let mail = sink.received();
    for who in ["xfjy.a", "sthj.a", "wsjk.a"] {
        assert_eq!(
            count(&mail, &format!("{who}@lianban.example"), "新协办任务"),
            1,
            "{who}"
        );
    }
    assert_eq!(
        count(&mail, "scjg.window@lianban.example", "办件状态变更"),
        1
    );

    // The departments' 5 working days end Monday 30 Nov 18:00.
    let fired = tick(&app, at(11, 27, 18, 1)).await.sweep.fired; // Friday: one working day left
    assert_eq!(fired.get("reminder"), Some(&3));
    tick(&app, at(11, 30, 18, 1)).await; // due
    tick(&app, at(12, 1, 8, 1)).await; // first daily reminder
    tick(&app, at(12, 1, 18, 1)).await; // 黄牌: one working day overdue
    tick(&app, at(12, 2, 8, 1)).await;
    tick(&app, at(12, 3, 8, 1)).await;
    let fired = tick(&app, at(12, 3, 18, 1)).await.sweep.fired; // 红牌: three working days overdue
    assert_eq!(fired.get("red_card"), Some(&3));

    let mail = sink.received();
    let ids: std::collections::HashSet<&str> = mail.iter().map(|m| m.message_id.as_str()).collect();
    assert_eq!(ids.len(), mail.len(), "no message arrived twice");
    let expect = [
        ("xfjy.a", "剩余办理时间不足1个工作日", 1),
        ("sthj.a", "剩余办理时间不足1个工作日", 1),
        ("wsjk.a", "已到办理期限", 1),
        ("wsjk.head", "已到办理期限", 1),
        ("xfjy.head", "已到办理期限", 1),
        ("sthj.a", "已超期", 3),
        ("admin", "黄牌", 1),
        ("leader", "红牌", 1),
        ("xfjy.head", "剩余办理时间", 0),
        ("scjg.window", "剩余办理时间", 0),
    ];
    for (who, subject, n) in expect {
        assert_eq!(
            count(&mail, &format!("{who}@lianban.example"), subject),
            n,
            "{who} / {subject}"
        );
    }
    let due = mail
        .iter()
        .find(|m| m.to == ["xfjy.a@lianban.example"] && m.subject.contains("已到办理期限"))
        .unwrap();
    assert_eq!(due.subject, format!("【联办·到期】{number} 已到办理期限"));
    for part in [
        format!("办件编号：{number}"),
        "事项：餐饮店开业（一件事）".to_owned(),
        "部门：消防救援大队".to_owned(),
        "办理期限：2026年11月30日 18:00".to_owned(),
        "状态灯：红灯（已超期）".to_owned(),
        format!("查看：http://127.0.0.1:8080/cases/{number}"),
    ] {
        assert!(due.text.contains(&part), "{part} in {}", due.text);
    }
    assert!(
        due.html
            .contains(&format!("href=\"http://127.0.0.1:8080/cases/{number}\""))
    );
    let red = mail
        .iter()
        .find(|m| m.to == ["leader@lianban.example"])
        .unwrap();
    assert_eq!(
        red.subject, "【联办·红牌】3件事项超期3个工作日，提请领导督办",
        "one mail for the three"
    );
    assert_eq!(
        red.text.matches(number.as_str()).count(),
        6,
        "each item names the case and links to it"
    );

    // Leadership sees the raised items.
    let leader = app.login("leader").await;
    let items = app
        .ok(
            Some(&leader),
            "{ supervisions { nodes { level status department { name } case { number } } } }",
            json!({}),
        )
        .await;
    let items = items["supervisions"]["nodes"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert!(items.iter().all(|i| i["level"] == "RED_CARD"
        && i["status"] == "OPENED"
        && i["case"]["number"] == number.as_str()));
    let window = app.login("scjg.window").await;
    let (_, timeline) = flows::status_and_timeline(&app, &window, &case_id).await;
    assert_eq!(
        timeline.iter().filter(|k| *k == "ESCALATED").count(),
        3 * 7,
        "7 steps for each of 3 tasks"
    );
    sink.stop();
}

on_both_databases! {
    async fn a_case_left_alone_walks_up_the_whole_ladder_and_the_mail_arrives(app: TestApp) {
        let db = app.db;
        drop(app);
        left_alone(db).await;
    }

    async fn two_sweeps_racing_at_the_same_instant_fire_each_step_once(app: TestApp) {
        let window = app.login("scjg.window").await;
        for _ in 0..20 {
            let (id, _) = flows::open_case(&app, &window, "JOINT-001").await;
            flows::accept(&app, &window, &id).await;
        }
        let now = at(11, 30, 18, 1); // reminder and due at once for all 60 task clocks
        app.clock.set(now);
        let (a, b) = tokio::join!(app.workers.sweep(now), app.workers.sweep(now));
        let (a, b) = (a.unwrap(), b.unwrap());
        let total = |kind: &str| a.fired.get(kind).unwrap_or(&0) + b.fired.get(kind).unwrap_or(&0);
        assert_eq!((total("reminder"), total("due")), (60, 60), "{a:?} {b:?}");
        assert_eq!(a.examined + b.examined, 60, "each clock examined by one sweep only");
    }

    async fn deemed_consent_resolves_silent_departments_in_the_sweep(app: TestApp) {
        use lianban_entity::matter;
        use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};
        let joint = matter::Entity::find().filter(matter::Column::Code.eq("JOINT-001")).one(app.engine.db()).await.unwrap().unwrap();
        let mut active = joint.into_active_model();
        active.deemed_consent = Set(true);
        active.update(app.engine.db()).await.unwrap();
        let (_, case_id, _, tasks) = flows::joint_case_in_review(&app).await;
        flows::approve(&app, &tasks[0]).await;
        let now = at(11, 30, 18, 1);
        app.clock.set(now);
        let outcome = app.workers.tick(now).await.unwrap();
        assert_eq!(outcome.sweep.deemed, 2);
        let window = app.login("scjg.window").await;
        let case = flows::case(&app, &window, &case_id, "status tasks { opinion { kind } }").await;
        assert_eq!(case["status"], "AWAITING_DECISION");
        let heads: Vec<String> = app.workers.mailer.sent().into_iter().filter(|m| m.subject.contains("默认同意")).map(|m| m.to).collect();
        assert_eq!(heads.len(), 2, "{heads:?}");
    }

    async fn the_b_holder_hears_the_reminder_while_the_a_holder_is_away(app: TestApp) {
        let (_, _, _, tasks) = flows::joint_case_in_review(&app).await;
        let fire = tasks.iter().find(|t| t.assignee == "xfjy.a").unwrap().clone();
        let head = app.login("xfjy.head").await;
        let a = flows::staff_id(&app, "xfjy.a").await;
        let absence = "mutation($s: ID!, $from: DateTime!, $to: DateTime!) { recordAbsence(input: { staffId: $s, startsAt: $from, endsAt: $to, reason: \"年休假\" }) { id } }";
        app.ok(Some(&head), absence, json!({ "s": a, "from": at(11, 27, 17, 0), "to": at(12, 5, 0, 0) })).await;
        let now = at(11, 27, 18, 1);
        app.clock.set(now);
        app.workers.tick(now).await.unwrap();
        let reminders: HashMap<String, usize> = app.workers.mailer.sent().into_iter()
            .filter(|m| m.subject.contains("剩余办理时间"))
            .fold(HashMap::new(), |mut acc, m| { *acc.entry(m.to).or_default() += 1; acc });
        assert_eq!(reminders.get("xfjy.b@lianban.example"), Some(&1), "{reminders:?}");
        assert_eq!(reminders.get("xfjy.a@lianban.example"), None, "{reminders:?}");
        let _ = fire;
    }
}
