//! 值班 — the centre admin's duty roster covers weekends and holidays; a coming day with nobody
//! on duty alerts the centre admin once, from the opening of the working day before it; the
//! duty officer hears the 黄牌 that fire after office hours, and not those that fire inside them.

use crate::support::{code, flows};
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::json;

const SET: &str = "mutation($day: NaiveDate!, $staff: [ID!]!) { setDutyRoster(day: $day, staffIds: $staff) { day workingDay empty officers { username } } }";
const ROSTER: &str =
    "{ dutyRoster(from: \"2026-11-27\", days: 4) { day workingDay empty officers { username } } }";

/// A Shanghai-local instant in late 2026.
fn at(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, hour, minute, 0)
        .unwrap()
        - Duration::hours(8)
}

on_both_databases! {
    async fn an_empty_day_on_the_roster_alerts_the_admin_the_working_day_before(app: TestApp) {
        let admin = app.login("admin").await;
        let head = flows::staff_id(&app, "xfjy.head").await;
        let set = app.ok(Some(&admin), SET, json!({ "day": "2026-11-28", "staff": [head] })).await["setDutyRoster"].clone();
        assert_eq!(set, json!({ "day": "2026-11-28", "workingDay": false, "empty": false, "officers": [{ "username": "xfjy.head" }] }));
        app.ok(Some(&admin), SET, json!({ "day": "2026-11-29", "staff": [] })).await;
        let roster = app.ok(Some(&app.login("xfjy.a").await), ROSTER, json!({})).await["dutyRoster"].clone();
        let days: Vec<(&str, bool, bool)> = roster.as_array().unwrap().iter().map(|d| (d["day"].as_str().unwrap(), d["workingDay"].as_bool().unwrap(), d["empty"].as_bool().unwrap())).collect();
        assert_eq!(days, vec![("2026-11-27", true, false), ("2026-11-28", false, false), ("2026-11-29", false, true), ("2026-11-30", true, false)]);
        assert_eq!(roster[0]["officers"], json!([{ "username": "supervisor" }]));

        // Bad input changes nothing.
        let window = app.login("scjg.window").await;
        assert_eq!(code(&app.fails(Some(&window), SET, json!({ "day": "2026-11-29", "staff": [head] })).await), "FORBIDDEN");
        assert_eq!(code(&app.fails(Some(&admin), SET, json!({ "day": "2026-11-20", "staff": [head] })).await), "INVALID_INPUT", "a past day");
        assert_eq!(code(&app.fails(Some(&admin), SET, json!({ "day": "2026-11-29", "staff": [head, head] })).await), "INVALID_INPUT");
        let again = app.ok(Some(&admin), ROSTER, json!({})).await;
        assert_eq!(again["dutyRoster"][2]["empty"], true);

        // Sunday's gap is told on Friday from 08:00 (the working day before), once.
        let gaps = |app: &crate::support::TestApp| app.workers.mailer.sent().into_iter().filter(|m| m.subject.contains("无人值班")).collect::<Vec<_>>();
        for (now, expected) in [(at(11, 26, 18, 0), 0), (at(11, 27, 8, 1), 1), (at(11, 27, 9, 0), 1)] {
            app.clock.set(now);
            let outcome = app.workers.tick(now).await.unwrap();
            assert_eq!(gaps(&app).len(), expected, "gap alerts by {now}");
            if now == at(11, 27, 8, 1) {
                assert_eq!(outcome.duty_gaps, 1);
            }
        }
        let alert = &gaps(&app)[0];
        assert_eq!(alert.to, "admin@lianban.example");
        assert_eq!(alert.subject, "【联办·值班】1天无人值班，请安排");
        assert!(alert.text.contains("2026-11-29（休息日）"), "{}", alert.text);
        let told = app.workers.mailer.sent().into_iter().find(|m| m.to == "xfjy.head@lianban.example" && m.subject.contains("值班")).unwrap();
        assert_eq!(told.subject, "【联办·值班】您被安排于2026-11-28值班");
    }

    async fn the_duty_officer_hears_the_yellow_cards_that_fire_after_office_hours_only(app: TestApp) {
        let window = app.login("scjg.window").await;
        // An immediate case due Monday 09:30: its 黄牌 falls on Tuesday 09:30, in office hours.
        let immediate = app.ok(Some(&window), "mutation { openCase(input: { matterCode: \"SCJG-IMM-001\", acceptNow: true, applicant: { name: \"李四\", idNumber: \"110101199003071234\", phone: \"13900139000\" } }) { number } }", json!({})).await["openCase"]["number"].as_str().unwrap().to_owned();
        // (and its 红牌 on Thursday 09:30). A joint case whose departments are due Monday 30 Nov
        // 18:00: 黄牌 at Tuesday 1 Dec 18:00, after hours.
        let (_, _, joint, _) = flows::joint_case_in_review(&app).await;
        for now in [at(11, 24, 9, 31), at(11, 26, 9, 31), at(12, 1, 18, 1)] {
            app.clock.set(now);
            app.workers.tick(now).await.unwrap();
        }
        let sent = app.workers.mailer.sent();
        let cards: Vec<_> = sent.iter().filter(|m| m.to == "admin@lianban.example" && m.subject.contains("黄牌")).collect();
        assert!(cards.iter().any(|m| m.subject.contains(&immediate) || m.text.contains(&immediate)), "the admin hears both");
        assert!(cards.iter().any(|m| m.text.contains(&joint)));
        let duty: Vec<_> = sent.iter().filter(|m| m.to == "supervisor@lianban.example" && m.subject.contains("值班")).collect();
        assert_eq!(duty.len(), 1, "one mail for the after-hours cards");
        assert_eq!(duty[0].subject, "【联办·值班】非工作时间3件事项升级督办，请值班人员跟进");
        assert_eq!(duty[0].text.matches(joint.as_str()).count(), 6, "three tasks, each named and linked");
        assert!(!duty[0].text.contains(&immediate), "the card fired in office hours is not the duty officer's");
    }
}
