//! The working calendar through GraphQL: days and their kinds, the shipped schedules and their
//! source, a centre admin's new year, and what it does to open clocks.

use crate::support::flows;
use crate::support::{code, monday_nine};
use chrono::Duration;
use lianban_entity::outbox;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

fn calendar() -> &'static str {
    crate::support::readme::operation("Calendar")
}

fn set_year() -> &'static str {
    crate::support::readme::operation("SetCalendarYear")
}

fn year_2027(holiday: &str) -> Value {
    json!({ "input": {
        "year": 2027,
        "source": "国务院办公厅关于2027年部分节假日安排的通知",
        "holidays": [{ "date": holiday, "name": "元旦" }],
        "makeUpDays": [],
    } })
}

on_both_databases! {
    async fn the_calendar_lists_each_day_with_its_kind_and_names_its_source(app: TestApp) {
        let token = app.login("scjg.a").await;
        let data = app.ok(Some(&token), calendar(), json!({ "from": "2026-02-13", "to": "2026-02-24" })).await;
        let cal = &data["calendar"];
        let kinds: Vec<(&str, &str)> = cal["days"].as_array().unwrap().iter()
            .map(|d| (d["date"].as_str().unwrap(), d["kind"].as_str().unwrap())).collect();
        assert_eq!(kinds[0], ("2026-02-13", "WORKING"));
        assert_eq!(kinds[1], ("2026-02-14", "MAKE_UP"), "Saturday worked before the Spring Festival");
        assert!(kinds[2..11].iter().all(|(_, k)| *k == "HOLIDAY"), "{kinds:?}");
        assert_eq!(kinds[11], ("2026-02-24", "WORKING"));
        assert_eq!(cal["days"][3]["name"], "春节");
        assert_eq!(cal["officeHours"], json!(["08:00-12:00", "14:00-18:00"]));
        assert_eq!(cal["nextOpening"], "2026-11-23T01:00:00+00:00");
        let years: Vec<i64> = cal["years"].as_array().unwrap().iter().map(|y| y["year"].as_i64().unwrap()).collect();
        assert_eq!(years, [2024, 2025, 2026]);
        assert!(cal["years"][2]["source"].as_str().unwrap().contains("content_7047091"));
        assert!(cal["warnings"][0].as_str().unwrap().contains("2027"), "next year has no schedule yet");
    }

    async fn a_centre_admin_extends_the_calendar_and_open_clocks_are_recomputed(app: TestApp) {
        // Monday 21 Dec 2026: a joint case's 10 working days run into 2027, which has no schedule.
        app.clock.set(monday_nine() + Duration::days(28));
        let (window, case_id, _, _) = flows::joint_case_in_review(&app).await;
        let read = "query($id: ID!) { case(id: $id) { dueAt provisional } }";
        let case = app.ok(Some(&window), read, json!({ "id": case_id })).await;
        assert_eq!(case["case"]["dueAt"], "2027-01-04T10:00:00+00:00", "1 Jan 2027 counted as a Friday");
        assert_eq!(case["case"]["provisional"], true);
        let warned = outbox::Entity::find()
            .filter(outbox::Column::Template.eq("calendar_year_missing"))
            .all(app.engine.db()).await.unwrap();
        assert_eq!(warned.len(), 1, "the centre admin is told once");
        assert_eq!(warned[0].recipient_email, "admin@lianban.example");

        let reviewer = app.login("scjg.head").await;
        let refused = app.fails(Some(&reviewer), set_year(), year_2027("2027-01-01")).await;
        assert_eq!(code(&refused), "FORBIDDEN");

        let admin = app.login("admin").await;
        let saved = app.ok(Some(&admin), set_year(), year_2027("2027-01-01")).await;
        assert_eq!(saved["setCalendarYear"]["year"]["version"], 1);
        assert!(saved["setCalendarYear"]["recomputedClocks"].as_u64().unwrap() >= 1);
        let case = app.ok(Some(&window), read, json!({ "id": case_id })).await;
        assert_eq!(case["case"]["dueAt"], "2027-01-05T10:00:00+00:00", "New Year's Day is now a holiday");
        assert_eq!(case["case"]["provisional"], false);
        let again = app.ok(Some(&admin), set_year(), year_2027("2027-01-01")).await;
        assert_eq!(again["setCalendarYear"]["year"]["version"], 2, "every change is a new version");
    }

    async fn a_calendar_year_with_a_malformed_date_is_refused_and_nothing_is_written(app: TestApp) {
        let admin = app.login("admin").await;
        for (bad, field) in [("2027-02-30", "holidays[0].date"), ("27-1-1", "holidays[0].date"), ("2026-12-31", "holidays[0].date")] {
            let error = app.fails(Some(&admin), set_year(), year_2027(bad)).await;
            assert_eq!((code(&error), error["extensions"]["field"].as_str()), ("INVALID_INPUT", Some(field)), "{bad}");
        }
        let data = app.ok(Some(&admin), calendar(), json!({ "from": "2027-01-01", "to": "2027-01-01" })).await;
        assert_eq!(data["calendar"]["days"][0]["kind"], "WORKING");
        assert_eq!(data["calendar"]["days"][0]["provisional"], true);
        assert_eq!(data["calendar"]["years"].as_array().unwrap().len(), 3);
        let too_long = app.fails(Some(&admin), calendar(), json!({ "from": "2026-01-01", "to": "2027-06-01" })).await;
        assert_eq!(code(&too_long), "INVALID_INPUT");
    }

    async fn due_dates_refuse_absurd_budgets_and_unknown_units(app: TestApp) {
        let token = app.login("scjg.window").await;
        let due = "query($s: DateTime, $n: Int!, $u: LimitUnit!) { dueDate(start: $s, amount: $n, unit: $u) { dueAt provisional } }";
        // Friday 27 Nov 17:50 + 30 working minutes → Monday 30 Nov 08:20.
        let data = app.ok(Some(&token), due, json!({ "s": "2026-11-27T09:50:00Z", "n": 30, "u": "WORKING_MINUTES" })).await;
        assert_eq!(data["dueDate"]["dueAt"], "2026-11-30T00:20:00+00:00");
        for (n, unit) in [(-1, "WORKING_DAYS"), (0, "WORKING_DAYS"), (100_000, "WORKING_DAYS"), (1, "FORTNIGHTS")] {
            let error = app.fails(Some(&token), due, json!({ "n": n, "u": unit })).await;
            assert_eq!(code(&error), "INVALID_INPUT", "{n} {unit}");
        }
    }
}
