//! 预约服务、上门服务 — a booking made online, held once the applicant enters the code mailed
//! to them, confirmed and reminded by mail at a real SMTP server, kept and turned into a case at
//! the window; a booking nobody came to recorded as missed; a home visit; a holiday request that
//! the duty officer arranges by summoning window staff.

use crate::support::smtp::SmtpSink;
use crate::support::{Mail, code, spawn_app_with};
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{Value, json};

const BOOK: &str = "mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id code kind status slotStart slotEnd remindAt window { name } } }";
const CONFIRM: &str = "mutation($id: ID!, $code: String!) { confirmAppointment(appointmentId: $id, confirmationCode: $code) { id code kind status slotStart slotEnd remindAt window { name } } }";

/// The six-digit code in a mail's text (验证码：123456).
pub fn code_in(text: &str) -> String {
    let at = text
        .find("验证码：")
        .unwrap_or_else(|| panic!("no code in {text}"));
    text[at + "验证码：".len()..].chars().take(6).collect()
}

/// The code that reached `email` at the SMTP server, after the sender has run.
async fn sink_code(app: &crate::support::TestApp, sink: &SmtpSink, email: &str) -> String {
    app.workers.tick(app.clock_now()).await.unwrap();
    let mail = sink
        .received()
        .into_iter()
        .find(|m| m.to == [email] && m.subject.contains("验证码"))
        .unwrap_or_else(|| panic!("no code reached {email}"));
    code_in(&mail.text)
}

/// The code mailed (in memory) to `email`, after the sender has run.
pub async fn mailed_code(app: &crate::support::TestApp, email: &str) -> String {
    app.workers.send(app.clock_now()).await.unwrap();
    let mail = app
        .workers
        .mailer
        .sent()
        .into_iter()
        .rev()
        .find(|m| m.to == email && m.subject.contains("验证码"))
        .unwrap_or_else(|| panic!("no code mailed to {email}"));
    code_in(&mail.text)
}

/// Books online and confirms with the mailed code; returns the confirmed booking.
async fn book_online(app: &crate::support::TestApp, input: Value) -> Value {
    let pending = app.ok(None, BOOK, input.clone()).await["bookAppointment"].clone();
    assert_eq!(pending["status"], "PENDING", "{pending}");
    let email = input["input"]["applicant"]["email"].as_str().unwrap();
    let code = mailed_code(app, email).await;
    app.ok(None, CONFIRM, json!({ "id": pending["id"], "code": code }))
        .await["confirmAppointment"]
        .clone()
}
const SLOTS: &str = "query($w: ID!, $from: NaiveDate!) { appointmentSlots(windowId: $w, from: $from, days: 1) { window { name capacity slotMinutes officeHours } slots { start end capacity booked available } } }";

/// A Shanghai-local instant in late 2026.
fn at(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, hour, minute, 0)
        .unwrap()
        - Duration::hours(8)
}

fn booking(
    window: &Value,
    start: DateTime<Utc>,
    name: &str,
    id_number: &str,
    email: &str,
) -> Value {
    // Each applicant their own phone: 110101199001011111 → 13601011111.
    let phone = format!("136{}", &id_number[10..18]);
    json!({ "input": {
        "windowId": window, "matterCode": "JOINT-001", "slotStart": start,
        "applicant": { "name": name, "idNumber": id_number, "phone": phone, "email": email }
    }})
}

/// The id of a department's window, as the public lists them.
pub async fn window_of(app: &crate::support::TestApp, department: &str) -> Value {
    let list = app
        .ok(
            None,
            "{ serviceWindows { id homeVisits department { code } } }",
            json!({}),
        )
        .await;
    list["serviceWindows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["department"]["code"] == department)
        .unwrap()["id"]
        .clone()
}

async fn booked_kept_and_received(db: crate::support::Db) {
    let mut sink = SmtpSink::start();
    let app = spawn_app_with(db, Mail::Smtp(sink.port)).await;
    let market = window_of(&app, "SCJG").await;
    let wednesday_ten = at(11, 25, 10, 0);

    // The public sees Wednesday's slots: 16 half hours of two places each.
    let slots = app
        .ok(None, SLOTS, json!({ "w": market, "from": "2026-11-25" }))
        .await["appointmentSlots"]
        .clone();
    assert_eq!(
        slots["window"]["officeHours"],
        json!(["08:00-12:00", "14:00-18:00"])
    );
    assert_eq!(slots["slots"].as_array().unwrap().len(), 16);
    let ten = slots["slots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["start"] == "2026-11-25T02:00:00+00:00")
        .unwrap()
        .clone();
    assert_eq!(
        (ten["available"].clone(), ten["end"].clone()),
        (json!(2), json!("2026-11-25T02:30:00+00:00"))
    );
    let saturday = app
        .ok(None, SLOTS, json!({ "w": market, "from": "2026-11-28" }))
        .await;
    assert_eq!(
        saturday["appointmentSlots"]["slots"],
        json!([]),
        "no slots on a weekend"
    );

    // Booked online without signing in: nothing is held until the code mailed to the
    // applicant comes back.
    let pending = app
        .ok(
            None,
            BOOK,
            booking(
                &market,
                wednesday_ten,
                "钱预约",
                "110101199001011111",
                "qian@example.com",
            ),
        )
        .await["bookAppointment"]
        .clone();
    assert_eq!(pending["status"], "PENDING");
    assert_eq!(pending["remindAt"], Value::Null);
    app.workers.tick(app.clock_now()).await.unwrap();
    let code_mail = sink
        .received()
        .into_iter()
        .find(|m| m.to == ["qian@example.com"])
        .unwrap();
    assert_eq!(code_mail.subject, "【联办·预约验证码】请确认您的预约");
    assert!(
        code_mail
            .text
            .starts_with("您好：本邮箱被用于提交一项窗口预约申请。验证码："),
        "the centre's words first: {}",
        code_mail.text
    );
    assert!(
        !code_mail.text.contains("钱预约"),
        "nothing the caller typed: {}",
        code_mail.text
    );
    let wrong = app
        .fails(
            None,
            CONFIRM,
            json!({ "id": pending["id"], "code": "000000x" }),
        )
        .await;
    assert_eq!(code(&wrong), "INVALID_INPUT");
    // The reminder is set for the opening of Tuesday.
    let booked = app
        .ok(
            None,
            CONFIRM,
            json!({ "id": pending["id"], "code": code_in(&code_mail.text) }),
        )
        .await["confirmAppointment"]
        .clone();
    // The answer, readable by anybody who sends the same data again, masks the applicant.
    let answer = app.ok(None, "mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id applicant { name idNumber phone email } } }", booking(&market, wednesday_ten, "钱预约", "110101199001011111", "qian@example.com")).await["bookAppointment"].clone();
    assert_eq!(answer["id"], booked["id"]);
    assert_eq!(answer["applicant"]["name"], "钱预约");
    assert_ne!(
        answer["applicant"]["idNumber"], "110101199001011111",
        "masked for a caller without a sign-in"
    );
    assert_ne!(answer["applicant"]["phone"], "13601011111");
    let impostor = app
        .ok(
            None,
            "mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }",
            booking(
                &market,
                at(11, 25, 11, 0),
                "冒名者",
                "110101199001011112",
                "x@example.com",
            ),
        )
        .await;
    assert_ne!(
        impostor["bookAppointment"]["id"], booked["id"],
        "another name is another booking"
    );
    let impostor_code = sink_code(&app, &sink, "x@example.com").await;
    app.ok(
        None,
        CONFIRM,
        json!({ "id": impostor["bookAppointment"]["id"], "code": impostor_code }),
    )
    .await;
    assert_eq!(
        (booked["status"].clone(), booked["kind"].clone()),
        (json!("BOOKED"), json!("WINDOW"))
    );
    assert_eq!(booked["remindAt"], "2026-11-24T00:00:00+00:00");
    assert!(booked["code"].as_str().unwrap().starts_with("YY"));
    let again = app
        .ok(
            None,
            BOOK,
            booking(
                &market,
                wednesday_ten,
                "钱预约",
                "110101199001011111",
                "qian@example.com",
            ),
        )
        .await;
    assert_eq!(
        again["bookAppointment"]["id"], booked["id"],
        "booking the same slot again returns the first"
    );
    let sun = app
        .ok(
            None,
            BOOK,
            booking(
                &market,
                wednesday_ten,
                "孙预约",
                "110101199202022222",
                "sun@example.com",
            ),
        )
        .await["bookAppointment"]["id"]
        .clone();
    let sun_code = sink_code(&app, &sink, "sun@example.com").await;
    app.ok(None, CONFIRM, json!({ "id": sun, "code": sun_code }))
        .await;
    let left = app
        .ok(None, SLOTS, json!({ "w": market, "from": "2026-11-25" }))
        .await["appointmentSlots"]["slots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["start"] == "2026-11-25T02:00:00+00:00")
        .unwrap()
        .clone();
    assert_eq!(
        (left["booked"].clone(), left["available"].clone()),
        (json!(2), json!(0))
    );
    let full = app
        .fails(
            None,
            BOOK,
            booking(
                &market,
                wednesday_ten,
                "周预约",
                "110101199303033333",
                "zhou@example.com",
            ),
        )
        .await;
    assert_eq!(code(&full), "CONFLICT", "the slot is full");
    for (bad, why) in [
        (
            booking(
                &market,
                wednesday_ten + Duration::minutes(10),
                "周预约",
                "110101199303033333",
                "zhou@example.com",
            ),
            "not a slot start",
        ),
        (
            booking(
                &market,
                at(11, 28, 10, 0),
                "周预约",
                "110101199303033333",
                "zhou@example.com",
            ),
            "a Saturday",
        ),
        (
            booking(
                &market,
                at(11, 23, 8, 30),
                "周预约",
                "110101199303033333",
                "zhou@example.com",
            ),
            "a slot already begun",
        ),
        (
            booking(
                &market,
                at(11, 26, 10, 0),
                "周预约",
                "110101199303033333",
                "not-an-email",
            ),
            "a bad email",
        ),
    ] {
        assert_eq!(
            code(&app.fails(None, BOOK, bad).await),
            "INVALID_INPUT",
            "{why}"
        );
    }

    // The confirmation arrives at once; the reminder on Tuesday morning, once.
    app.workers.tick(app.clock_now()).await.unwrap();
    let mail = sink.received();
    let confirmed: Vec<_> = mail
        .iter()
        .filter(|m| m.to == ["qian@example.com"] && m.subject.contains("预约确认"))
        .collect();
    assert_eq!(confirmed.len(), 1);
    let code_text = booked["code"].as_str().unwrap();
    assert_eq!(
        confirmed[0].subject,
        format!("【联办·预约确认】预约号{code_text}")
    );
    for part in [
        "您好：您的窗口预约已确认。",
        "预约人：钱预约",
        "预约时间：2026年11月25日 10:00—10:30",
        "办理窗口：1号窗口（市场监管综合受理）（一楼大厅东侧）",
        "事项：餐饮店开业（一件事）",
    ] {
        assert!(
            confirmed[0].text.contains(part),
            "{part} in {}",
            confirmed[0].text
        );
    }
    for (now, reminders) in [
        (at(11, 23, 18, 0), 0),
        (at(11, 24, 8, 1), 1),
        (at(11, 24, 9, 0), 1),
    ] {
        app.clock.set(now);
        app.workers.tick(now).await.unwrap();
        let got = sink
            .received()
            .into_iter()
            .filter(|m| m.to == ["qian@example.com"] && m.subject.contains("预约提醒"))
            .count();
        assert_eq!(got, reminders, "reminders by {now}");
    }
    let reminder = sink
        .received()
        .into_iter()
        .find(|m| m.subject.contains("预约提醒"))
        .unwrap();
    assert!(
        reminder
            .text
            .contains("预约时间：2026年11月25日 10:00—10:30"),
        "{}",
        reminder.text
    );

    // Wednesday 10:05: the applicant comes; the window receives the booking as a case.
    app.clock.set(at(11, 25, 10, 5));
    let window = app.login("scjg.window").await;
    let today = app.ok(Some(&window), "{ appointments(filter: {day: \"2026-11-25\"}) { totalCount nodes { id status applicant { name } } } }", json!({})).await;
    assert_eq!(today["appointments"]["totalCount"], 3);
    let full = app
        .ok(
            Some(&window),
            "query($id: ID!) { appointment(id: $id) { applicant { idNumber phone email } } }",
            json!({ "id": booked["id"] }),
        )
        .await;
    assert_eq!(
        full["appointment"]["applicant"],
        json!({ "idNumber": "110101199001011111", "phone": "13601011111", "email": "qian@example.com" }),
        "the window that keeps it reads it in full"
    );
    let leader = app.login("leader").await;
    let masked = app
        .ok(
            Some(&leader),
            "query($id: ID!) { appointment(id: $id) { applicant { idNumber } } }",
            json!({ "id": booked["id"] }),
        )
        .await;
    assert_ne!(
        masked["appointment"]["applicant"]["idNumber"], "110101199001011111",
        "a leader does not handle it"
    );
    let other_window = app.login("xfjy.a").await;
    let refused = app
        .fails(
            Some(&other_window),
            "mutation($a: ID!) { receiveAppointment(appointmentId: $a) { case { id } } }",
            json!({ "a": booked["id"] }),
        )
        .await;
    assert_eq!(code(&refused), "FORBIDDEN");
    let received = app.ok(Some(&window), "mutation($a: ID!) { receiveAppointment(appointmentId: $a) { appointment { status case { number } } case { number status guideVersion applicant { name idNumber } firstResponder { username } } } }", json!({ "a": booked["id"] })).await["receiveAppointment"].clone();
    assert_eq!(received["appointment"]["status"], "RECEIVED");
    assert_eq!(received["case"]["status"], "RECEIVED");
    assert_eq!(received["case"]["applicant"]["name"], "钱预约");
    assert_eq!(
        received["case"]["applicant"]["idNumber"],
        "110101199001011111"
    );
    assert_eq!(
        received["case"]["firstResponder"]["username"],
        "scjg.window"
    );
    assert_eq!(received["case"]["guideVersion"], 1);
    assert!(
        received["case"]["number"]
            .as_str()
            .unwrap()
            .starts_with("LB-20261125-")
    );
    assert_eq!(
        received["appointment"]["case"]["number"],
        received["case"]["number"]
    );
    let twice = app
        .fails(
            Some(&window),
            "mutation($a: ID!) { receiveAppointment(appointmentId: $a) { case { id } } }",
            json!({ "a": booked["id"] }),
        )
        .await;
    assert_eq!(code(&twice), "INVALID_STATE", "a booking becomes one case");

    // Nobody came for the other booking: missed 30 minutes after its slot.
    app.clock.set(at(11, 25, 10, 59));
    app.workers.tick(at(11, 25, 10, 59)).await.unwrap();
    let booked_still = app
        .ok(
            Some(&window),
            "{ appointments(filter: {status: BOOKED}) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        booked_still["appointments"]["totalCount"], 2,
        "孙预约 at 10:00 and 冒名者 at 11:00"
    );
    app.clock.set(at(11, 25, 11, 0));
    let swept = app.workers.tick(at(11, 25, 11, 0)).await.unwrap();
    assert_eq!(swept.appointments.missed, 1);
    let missed = app
        .ok(
            Some(&window),
            "{ appointments(filter: {status: MISSED}) { nodes { applicant { name } handledAt } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        missed["appointments"]["nodes"][0]["applicant"]["name"],
        "孙预约"
    );
    assert_eq!(missed["appointments"]["nodes"].as_array().unwrap().len(), 1);
    sink.stop();
}

on_both_databases! {
    async fn a_booking_made_online_is_confirmed_reminded_kept_and_turned_into_a_case(app: TestApp) {
        let db = app.db;
        drop(app);
        booked_kept_and_received(db).await;
    }

    async fn a_home_visit_is_booked_and_a_holiday_request_is_arranged_by_the_duty_officer(app: TestApp) {
        let market = window_of(&app, "SCJG").await;
        let fire = window_of(&app, "XFJY").await;
        let window = app.login("scjg.window").await;
        let mut visit = booking(&market, at(11, 26, 14, 0), "吴老人", "110101194004044444", "wu@example.com");
        visit["input"]["kind"] = json!("HOME_VISIT");
        assert_eq!(code(&app.fails(Some(&window), BOOK, visit.clone()).await), "INVALID_INPUT", "a home visit needs the address");
        visit["input"]["address"] = json!("示范市幸福路8号3单元201");
        let mut elsewhere = visit.clone();
        elsewhere["input"]["windowId"] = fire.clone();
        assert_eq!(code(&app.fails(Some(&window), BOOK, elsewhere).await), "INVALID_INPUT", "the fire window makes no home visits");
        let booked = app.ok(Some(&window), "mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { kind status address bookedBy { username } } }", visit).await["bookAppointment"].clone();
        assert_eq!((booked["kind"].clone(), booked["status"].clone()), (json!("HOME_VISIT"), json!("BOOKED")));
        assert_eq!(booked["bookedBy"]["username"], "scjg.window");
        let reviewer = app.login("xfjy.a").await;
        let refused = app.fails(Some(&reviewer), BOOK, booking(&market, at(11, 26, 15, 0), "x", "110101194004044444", "x@example.com")).await;
        assert_eq!(code(&refused), "FORBIDDEN", "a reviewer does not book for applicants");

        // A holiday request for Saturday goes to the supervisor, on duty that day.
        const ASK: &str = "mutation($day: NaiveDate!) { requestHolidayService(input: { matterCode: \"JOINT-001\", day: $day, note: \"周一开业，急需办理\", applicant: { name: \"郑老板\", idNumber: \"110101198505055555\", phone: \"13500135000\", email: \"zheng@example.com\" } }) { id status kind requestedDay } }";
        assert_eq!(code(&app.fails(None, ASK, json!({ "day": "2026-11-24" })).await), "INVALID_INPUT", "Tuesday is a working day");
        let asked = app.ok(None, ASK, json!({ "day": "2026-11-28" })).await["requestHolidayService"].clone();
        assert_eq!((asked["status"].clone(), asked["kind"].clone(), asked["requestedDay"].clone()), (json!("PENDING"), json!("HOLIDAY"), json!("2026-11-28")));
        // The duty officer hears of it once the applicant confirms with the mailed code.
        let mailed = mailed_code(&app, "zheng@example.com").await;
        assert!(app.workers.mailer.sent().iter().all(|m| !m.subject.contains("节假日办理申请")), "not before");
        let asked = app.ok(None, CONFIRM, json!({ "id": asked["id"], "code": mailed })).await["confirmAppointment"].clone();
        assert_eq!(asked["status"], "REQUESTED");
        app.workers.send(app.engine.now()).await.unwrap();
        let heard: Vec<_> = app.workers.mailer.sent().into_iter().filter(|m| m.subject.contains("节假日办理申请")).collect();
        assert_eq!(heard.len(), 1);
        assert_eq!(heard[0].to, "supervisor@lianban.example");
        assert_eq!(heard[0].subject, "【联办·值班】2026-11-28节假日办理申请");
        assert!(heard[0].text.contains("郑老板") && heard[0].text.contains("13500135000") && heard[0].text.contains("周一开业"), "{}", heard[0].text);

        // The duty officer summons the market window's clerk for Saturday 10:00.
        const SUMMON: &str = "mutation($a: ID!, $s: [ID!]!, $start: DateTime!) { summonWindowStaff(appointmentId: $a, staffIds: $s, start: $start, minutes: 60) { status slotStart slotEnd summoned { username } } }";
        let clerk = crate::support::flows::staff_id(&app, "scjg.window").await;
        let city = crate::support::flows::staff_id(&app, "csgl.a").await;
        let refused = app.fails(Some(&reviewer), SUMMON, json!({ "a": asked["id"], "s": [clerk], "start": at(11, 28, 10, 0) })).await;
        assert_eq!(code(&refused), "FORBIDDEN", "only that day's duty officer arranges it");
        let duty = app.login("supervisor").await;
        let fire_reviewer = crate::support::flows::staff_id(&app, "xfjy.a").await;
        let refused = app.fails(Some(&duty), SUMMON, json!({ "a": asked["id"], "s": [fire_reviewer], "start": at(11, 28, 10, 0) })).await;
        assert_eq!(code(&refused), "INVALID_INPUT", "a reviewer is not window staff");
        let refused = app.fails(Some(&duty), SUMMON, json!({ "a": asked["id"], "s": [city], "start": at(11, 28, 10, 0) })).await;
        assert_eq!(code(&refused), "INVALID_INPUT", "城市管理局 does not handle the matter");
        let refused = app.fails(Some(&duty), SUMMON, json!({ "a": asked["id"], "s": [clerk], "start": at(11, 29, 10, 0) })).await;
        assert_eq!(code(&refused), "INVALID_INPUT", "not on the requested day");
        let arranged = app.ok(Some(&duty), SUMMON, json!({ "a": asked["id"], "s": [clerk], "start": at(11, 28, 10, 0) })).await["summonWindowStaff"].clone();
        assert_eq!(arranged["status"], "BOOKED");
        assert_eq!((arranged["slotStart"].clone(), arranged["slotEnd"].clone()), (json!("2026-11-28T02:00:00+00:00"), json!("2026-11-28T03:00:00+00:00")));
        assert_eq!(arranged["summoned"], json!([{ "username": "scjg.window" }]));
        app.workers.send(app.engine.now()).await.unwrap();
        let sent = app.workers.mailer.sent();
        let summons = sent.iter().find(|m| m.to == "scjg.window@lianban.example" && m.subject.contains("值班召集")).unwrap();
        assert_eq!(summons.subject, "【联办·值班召集】2026年11月28日 10:00 到岗办理");
        assert!(summons.text.contains("郑老板") && summons.text.contains("13500135000"), "{}", summons.text);
        let confirmed = sent.iter().find(|m| m.to == "zheng@example.com" && m.subject.contains("预约确认")).unwrap();
        assert!(confirmed.text.contains("节假日预约已确认") && confirmed.text.contains("2026年11月28日 10:00—11:00"), "{}", confirmed.text);

        // Saturday 10:05: the summoned clerk receives the applicant.
        app.clock.set(at(11, 28, 10, 5));
        let window = app.login("scjg.window").await;
        let received = app.ok(Some(&window), "mutation($a: ID!) { receiveAppointment(appointmentId: $a) { case { status applicant { name } } } }", json!({ "a": asked["id"] })).await;
        assert_eq!(received["receiveAppointment"]["case"]["applicant"]["name"], "郑老板");
    }
}

on_both_databases! {
    async fn the_readme_operations_of_guides_urgency_appointments_and_duty_run_as_written(app: TestApp) {
        let guide = app.readme(None, "ServiceGuide", json!({ "matterCode": "JOINT-001" })).await;
        assert_eq!(guide["serviceGuide"]["materials"].as_array().unwrap().len(), 5);
        let admin = app.login("admin").await;
        let published = app.readme(Some(&admin), "PublishServiceGuide", json!({ "input": {
            "matterCode": "JOINT-001", "promisedLimit": 9,
            "materials": [{ "name": "营业执照" }], "legalBasis": "《中华人民共和国行政许可法》"
        }})).await;
        assert_eq!(published["publishServiceGuide"]["promiseFasterPercent"], 55);
        let (window, case, _, _) = crate::support::flows::joint_case_in_review(&app).await;
        let urgent = app.readme(Some(&window), "MarkCaseUrgent", json!({ "caseId": case, "reason": "重大项目" })).await;
        assert_eq!(urgent["markCaseUrgent"]["urgent"], true);
        let market = window_of(&app, "SCJG").await;
        let slots = app.readme(None, "AppointmentSlots", json!({ "windowId": market, "from": "2026-11-24" })).await;
        assert_eq!(slots["appointmentSlots"]["slots"].as_array().unwrap().len(), 16 * 4, "Tuesday to Friday; Saturday has none");
        let pending = app.readme(None, "BookAppointment", booking(&market, at(11, 24, 9, 0), "钱预约", "110101199001011111", "qian@example.com")).await;
        assert_eq!(pending["bookAppointment"]["status"], "PENDING");
        let mailed = mailed_code(&app, "qian@example.com").await;
        let booked = app.readme(None, "ConfirmAppointment", json!({ "id": pending["bookAppointment"]["id"], "code": mailed })).await;
        assert_eq!(booked["confirmAppointment"]["status"], "BOOKED");
        let booked = json!({ "bookAppointment": booked["confirmAppointment"] });
        app.clock.set(at(11, 24, 9, 5));
        let (window, admin) = (app.login("scjg.window").await, app.login("admin").await);
        let received = app.readme(Some(&window), "ReceiveAppointment", json!({ "id": booked["bookAppointment"]["id"] })).await;
        assert_eq!(received["receiveAppointment"]["case"]["status"], "RECEIVED");
        let head = crate::support::flows::staff_id(&app, "xfjy.head").await;
        let duty = app.readme(Some(&admin), "SetDutyRoster", json!({ "day": "2026-12-05", "staffIds": [head] })).await;
        assert_eq!(duty["setDutyRoster"]["officers"][0]["username"], "xfjy.head");
    }
}

on_both_databases! {
    async fn the_centre_admin_sets_a_windows_hours_and_places_and_its_slots_follow(app: TestApp) {
        const SAVE: &str = "mutation($input: SaveServiceWindowInput!) { saveServiceWindow(input: $input) { id name officeHours slotMinutes capacity homeVisits } }";
        let admin = app.login("admin").await;
        let fire = app.ok(Some(&admin), "{ departments { id code } }", json!({})).await["departments"].as_array().unwrap().iter().find(|d| d["code"] == "XFJY").unwrap()["id"].clone();
        let input = |extra: Value| {
            let mut input = json!({ "departmentId": fire, "name": "9号窗口（消防预约）", "location": "三楼东侧", "officeHours": ["09:00-12:00"], "slotMinutes": 60, "capacity": 1 });
            input.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            json!({ "input": input })
        };
        let window = app.login("scjg.window").await;
        assert_eq!(code(&app.fails(Some(&window), SAVE, input(json!({}))).await), "FORBIDDEN");
        assert_eq!(code(&app.fails(Some(&admin), SAVE, input(json!({ "officeHours": ["25:00-26:00"] }))).await), "INVALID_INPUT");
        assert_eq!(code(&app.fails(Some(&admin), SAVE, input(json!({ "slotMinutes": 1 }))).await), "INVALID_INPUT");
        assert_eq!(code(&app.fails(Some(&admin), SAVE, input(json!({ "capacity": 0 }))).await), "INVALID_INPUT");
        let saved = app.ok(Some(&admin), SAVE, input(json!({}))).await["saveServiceWindow"].clone();
        assert_eq!(saved["officeHours"], json!(["09:00-12:00"]));
        let id = saved["id"].clone();
        let slots = app.ok(None, SLOTS, json!({ "w": id, "from": "2026-11-25" })).await["appointmentSlots"]["slots"].clone();
        let starts: Vec<&str> = slots.as_array().unwrap().iter().map(|s| s["start"].as_str().unwrap()).collect();
        assert_eq!(starts, vec!["2026-11-25T01:00:00+00:00", "2026-11-25T02:00:00+00:00", "2026-11-25T03:00:00+00:00"], "09:00, 10:00, 11:00");
        book_online(&app, booking(&id, at(11, 25, 10, 0), "钱预约", "110101199001011111", "qian@example.com")).await;
        assert_eq!(code(&app.fails(None, BOOK, booking(&id, at(11, 25, 10, 0), "孙预约", "110101199202022222", "sun@example.com")).await), "CONFLICT", "one place");
        let mut wider = input(json!({ "capacity": 3 }));
        wider["input"]["id"] = id.clone();
        assert_eq!(app.ok(Some(&admin), SAVE, wider).await["saveServiceWindow"]["capacity"], 3);
        let ten = app.ok(None, SLOTS, json!({ "w": id, "from": "2026-11-25" })).await["appointmentSlots"]["slots"][1].clone();
        assert_eq!((ten["booked"].clone(), ten["available"].clone()), (json!(1), json!(2)));
        assert_eq!(book_online(&app, booking(&id, at(11, 25, 10, 0), "孙预约", "110101199202022222", "sun@example.com")).await["status"], "BOOKED");
    }
}
