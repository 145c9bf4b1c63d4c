//! Online bookings cannot be used to fill a window's day or to send the centre's mail to
//! strangers: nothing is held until the applicant enters the code mailed to them, a few
//! requests a day per network address, phone and mailbox, and the mail opens with the centre's
//! own words, never with what the caller typed.

use crate::appointments::{code_in, mailed_code};
use crate::support::{TestApp, code};
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{Value, json};

const BOOK: &str = "mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id status confirmBy } }";
const CONFIRM: &str = "mutation($id: ID!, $code: String!) { confirmAppointment(appointmentId: $id, confirmationCode: $code) { id status } }";
const SLOTS: &str = "query($w: ID!) { appointmentSlots(windowId: $w, from: \"2026-11-25\", days: 1) { slots { booked available } } }";

/// Wednesday 2026-11-25 at `hour`:`minute`, Shanghai.
fn wednesday(hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, hour, minute, 0).unwrap() - Duration::hours(8)
}

async fn market_window(app: &TestApp) -> Value {
    crate::appointments::window_of(app, "SCJG").await
}

/// The `n`-th applicant's booking of a slot, with their own phone and mailbox unless given.
fn booking(
    window: &Value,
    slot: usize,
    n: usize,
    phone: Option<&str>,
    email: Option<&str>,
) -> Value {
    let start = wednesday(8, 0)
        + Duration::minutes(30 * (slot % 8) as i64)
        + Duration::hours(if slot >= 8 { 6 } else { 0 });
    json!({ "input": {
        "windowId": window, "matterCode": "JOINT-001", "slotStart": start,
        "note": "【重要通知】您的账户异常，请立即转账至 6222…",
        "applicant": {
            "name": format!("【中心通知】申请人{n}"), "idNumber": format!("1101011990010{n:05}"),
            "phone": phone.map_or_else(|| format!("1390000{n:04}"), str::to_owned),
            "email": email.map_or_else(|| format!("victim{n}@example.com"), str::to_owned),
        }
    }})
}

async fn available(app: &TestApp, window: &Value) -> i64 {
    app.ok(None, SLOTS, json!({ "w": window })).await["appointmentSlots"]["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["available"].as_i64().unwrap())
        .sum()
}

on_both_databases! {
    async fn a_script_cannot_fill_a_windows_day_or_mail_strangers(app: TestApp) {
        let window = market_window(&app).await;
        assert_eq!(available(&app, &window).await, 32, "16 slots of 2 places");
        // One address sends 32 bookings, one for each place of the day.
        let mut pending = Vec::new();
        let mut refused = Vec::new();
        for n in 0..32 {
            let body = app.post_from("203.0.113.9", None, BOOK, booking(&window, n / 2, n, None, None)).await;
            if body["errors"].is_null() {
                pending.push(body["data"]["bookAppointment"].clone());
            } else {
                refused.push(body["errors"][0].clone());
            }
        }
        assert_eq!(pending.len(), 10, "ten a day from one address");
        assert!(pending.iter().all(|p| p["status"] == "PENDING" && p["confirmBy"].is_string()));
        assert!(refused.iter().all(|e| code(e) == "FORBIDDEN" && e["extensions"]["retryAfterSeconds"].as_i64().is_some_and(|s| s > 0)), "{refused:?}");
        assert_eq!(available(&app, &window).await, 32, "nothing is held before a code comes back");

        // What the strangers received: the centre's words first, nothing the caller typed.
        app.workers.send(app.clock_now()).await.unwrap();
        let sent = app.workers.mailer.sent();
        assert_eq!(sent.len(), 10);
        for mail in &sent {
            assert_eq!(mail.subject, "【联办·预约验证码】请确认您的预约");
            assert!(mail.text.starts_with("您好：本邮箱被用于提交一项窗口预约申请。"), "{}", mail.text);
            for typed in ["【中心通知】", "申请人", "转账", "6222"] {
                assert!(!mail.text.contains(typed), "{typed} in {}", mail.text);
            }
            assert!(mail.text.contains("如非本人操作，请忽略本邮件"), "{}", mail.text);
        }

        // From many addresses, one phone or one mailbox still gets three a day.
        let mut answers = Vec::new();
        for n in 100..104 {
            answers.push(app.post_from(&format!("198.51.100.{n}"), None, BOOK, booking(&window, 1, n, Some("13911112222"), None)).await);
        }
        assert!(answers[..3].iter().all(|a| a["errors"].is_null()), "{answers:?}");
        assert_eq!(code(&answers[3]["errors"][0]), "FORBIDDEN");
        assert!(answers[3]["errors"][0]["message"].as_str().unwrap().contains("phone"));
        let mut answers = Vec::new();
        for n in 200..204 {
            answers.push(app.post_from(&format!("198.51.100.{n}"), None, BOOK, booking(&window, 2, n, None, Some("target@example.com"))).await);
        }
        assert!(answers[..3].iter().all(|a| a["errors"].is_null()), "{answers:?}");
        assert_eq!(code(&answers[3]["errors"][0]), "FORBIDDEN");
        assert!(answers[3]["errors"][0]["message"].as_str().unwrap().contains("mailbox"));

        // Tomorrow the allowance renews.
        app.clock.advance(Duration::days(1));
        let body = app.post_from("203.0.113.9", None, BOOK, booking(&window, 12, 300, None, None)).await;
        assert!(body["errors"].is_null(), "{body}");
    }

    async fn a_booking_holds_its_place_only_with_the_code_and_lapses_without_it(app: TestApp) {
        let window = market_window(&app).await;
        // Guessing the code: five wrong and the booking lapses.
        let guessed = app.ok(None, BOOK, booking(&window, 0, 1, None, None)).await["bookAppointment"].clone();
        for left in (0..5).rev() {
            let wrong = app.fails(None, CONFIRM, json!({ "id": guessed["id"], "code": "000000" })).await;
            assert_eq!(code(&wrong), "INVALID_INPUT", "{wrong}");
            if left > 0 {
                assert!(wrong["message"].as_str().unwrap().contains(&format!("{left} more")), "{wrong}");
            }
        }
        let real = mailed_code(&app, "victim1@example.com").await;
        let lapsed = app.fails(None, CONFIRM, json!({ "id": guessed["id"], "code": real })).await;
        assert_eq!(code(&lapsed), "INVALID_STATE", "even the right code, after five wrong ones");

        // Not confirmed within 30 minutes: it lapses at the next tick, holding nothing.
        let late = app.ok(None, BOOK, booking(&window, 1, 2, None, None)).await["bookAppointment"].clone();
        let code_mailed = mailed_code(&app, "victim2@example.com").await;
        app.clock.advance(Duration::minutes(31));
        let swept = app.workers.tick(app.clock_now()).await.unwrap();
        assert_eq!(swept.appointments.lapsed, 1);
        let refused = app.fails(None, CONFIRM, json!({ "id": late["id"], "code": code_mailed })).await;
        assert_eq!(code(&refused), "INVALID_STATE");

        // In time, the right code holds the place, and says so by mail.
        let kept = app.ok(None, BOOK, booking(&window, 2, 3, None, None)).await["bookAppointment"].clone();
        let mail_code = mailed_code(&app, "victim3@example.com").await;
        assert_eq!(available(&app, &window).await, 32);
        let booked = app.ok(None, CONFIRM, json!({ "id": kept["id"], "code": mail_code })).await["confirmAppointment"].clone();
        assert_eq!(booked["status"], "BOOKED");
        assert_eq!(available(&app, &window).await, 31);
        let again = app.ok(None, CONFIRM, json!({ "id": kept["id"], "code": mail_code })).await["confirmAppointment"].clone();
        assert_eq!(again, booked, "the same code again returns the booking");
        app.workers.send(app.clock_now()).await.unwrap();
        let confirmation = app.workers.mailer.sent().into_iter()
            .find(|m| m.to == "victim3@example.com" && m.subject.contains("预约确认")).unwrap();
        assert!(confirmation.text.starts_with("您好：您的窗口预约已确认。"), "{}", confirmation.text);
        assert_eq!(code_in("验证码：654321（30分钟内有效）"), "654321");
    }
}
