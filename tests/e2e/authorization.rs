//! SPEC §1 as a table: every query and mutation of the schema, run as every role — for the
//! department that owns what it touches and for another — and as nobody, each against a fresh
//! centre holding the objects it needs. Each person SPEC §1 lets through gets objects of their
//! own, made fresh, and the operation must succeed for them (an answer with data and no error);
//! everyone else is refused with `FORBIDDEN` (`UNAUTHENTICATED` without a sign-in) and changes
//! nothing. A query or mutation added to the schema without a row here fails the test.

use crate::support::{TestApp, flows};
use lianban_entity::{OutboxStatus, outbox, throttle};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicU32, Ordering};

/// Who asks. "Own" is the department that owns what the operation touches: the lead window's
/// (市场监管局) for a case, 消防救援大队 for its task, its supervision item and its complaint.
const ACTORS: &[(&str, Option<&str>)] = &[
    ("anonymous", None),
    ("window", Some("scjg.window")),
    ("other_window", Some("csgl.window")),
    ("reviewer", Some("xfjy.a")),
    ("other_reviewer", Some("csgl.a")),
    ("head", Some("xfjy.head")),
    ("lead_head", Some("scjg.head")),
    ("other_head", Some("csgl.head")),
    ("admin", Some("admin")),
    ("leader", Some("leader")),
    ("supervisor", Some("supervisor")),
];

const SIGNED_IN: &[&str] = &[
    "window",
    "other_window",
    "reviewer",
    "other_reviewer",
    "head",
    "lead_head",
    "other_head",
    "admin",
    "leader",
    "supervisor",
];
const EVERYONE: &[&str] = &[
    "anonymous",
    "window",
    "other_window",
    "reviewer",
    "other_reviewer",
    "head",
    "lead_head",
    "other_head",
    "admin",
    "leader",
    "supervisor",
];
const OVERSEERS: &[&str] = &["admin", "leader", "supervisor"];

/// One row: the operation, its document, the actors SPEC §1 lets through.
struct Row {
    name: &'static str,
    document: &'static str,
    allowed: &'static [&'static str],
}

const fn row(name: &'static str, document: &'static str, allowed: &'static [&'static str]) -> Row {
    Row {
        name,
        document,
        allowed,
    }
}

const ROWS: &[Row] = &[
    // Queries.
    row("me", "{ me { id } }", SIGNED_IN),
    row("myTasks", "{ myTasks { totalCount } }", SIGNED_IN),
    row(
        "case",
        "query($case: ID!) { case(id: $case) { id } }",
        &[
            "window",
            "reviewer",
            "head",
            "lead_head",
            "admin",
            "leader",
            "supervisor",
        ],
    ),
    row(
        "caseByNumber",
        "query($number: String!) { caseByNumber(number: $number) { id } }",
        &[
            "window",
            "reviewer",
            "head",
            "lead_head",
            "admin",
            "leader",
            "supervisor",
        ],
    ),
    row("cases", "{ cases { nodes { id } } }", SIGNED_IN),
    row(
        "reportsToSign",
        "{ reportsToSign { nodes { id } } }",
        SIGNED_IN,
    ),
    row(
        "supervisions",
        "{ supervisions { totalCount } }",
        &[
            "head",
            "lead_head",
            "other_head",
            "admin",
            "leader",
            "supervisor",
        ],
    ),
    row(
        "outboxMessages",
        "{ outboxMessages(status: PENDING) { nodes { id } } }",
        &["admin"],
    ),
    row("matters", "{ matters { code } }", SIGNED_IN),
    row(
        "calendar",
        "{ calendar(from: \"2026-11-23\", to: \"2026-11-30\") { officeHours } }",
        SIGNED_IN,
    ),
    row(
        "dueDate",
        "{ dueDate(amount: 5, unit: WORKING_DAYS) { dueAt } }",
        SIGNED_IN,
    ),
    row("departments", "{ departments { code } }", SIGNED_IN),
    row(
        "publicAnnouncements",
        "{ publicAnnouncements { nodes { number } } }",
        EVERYONE,
    ),
    row(
        "complaints",
        "{ complaints { totalCount } }",
        &[
            "head",
            "lead_head",
            "other_head",
            "admin",
            "leader",
            "supervisor",
        ],
    ),
    row("leadershipBoard", "{ leadershipBoard { year } }", OVERSEERS),
    row(
        "departmentBoard",
        "query($fire: ID!) { departmentBoard(departmentId: $fire) { scoreThisMonth } }",
        &["reviewer", "head", "admin", "leader", "supervisor"],
    ),
    row("scoringRules", "{ scoringRules { code } }", SIGNED_IN),
    row(
        "scoreEntries",
        "query($fire: ID!) { scoreEntries(filter: {departmentId: $fire}) { totalCount } }",
        &["reviewer", "head", "admin", "leader", "supervisor"],
    ),
    row(
        "scoreReport",
        "{ scoreReport(year: 2026, month: 11) { departments { points } } }",
        SIGNED_IN,
    ),
    row(
        "serviceGuide",
        "{ serviceGuide(matterCode: \"JOINT-001\") { version } }",
        EVERYONE,
    ),
    row("serviceGuides", "{ serviceGuides { version } }", EVERYONE),
    row(
        "serviceGuideVersions",
        "{ serviceGuideVersions(matterCode: \"JOINT-001\") { version } }",
        EVERYONE,
    ),
    row("serviceWindows", "{ serviceWindows { name } }", EVERYONE),
    row(
        "appointmentSlots",
        "query($window: ID!) { appointmentSlots(windowId: $window, from: \"2026-11-24\", days: 1) { slots { available } } }",
        EVERYONE,
    ),
    row(
        "appointments",
        "{ appointments { totalCount } }",
        &[
            "window",
            "other_window",
            "head",
            "lead_head",
            "other_head",
            "admin",
            "leader",
            "supervisor",
        ],
    ),
    row(
        "appointment",
        "query($booking: ID!) { appointment(id: $booking) { code } }",
        &["window", "lead_head", "admin", "leader", "supervisor"],
    ),
    row(
        "dutyRoster",
        "{ dutyRoster(from: \"2026-11-23\", days: 7) { day } }",
        SIGNED_IN,
    ),
    // Mutations.
    row(
        "login",
        "mutation { login(username: \"scjg.a\", password: \"Lianban@2026\") { token } }",
        EVERYONE,
    ),
    row(
        "openCase",
        "mutation { openCase(input: { matterCode: \"JOINT-001\", applicant: { name: \"王五\", idNumber: \"110101199003071234\", phone: \"13800138000\" } }) { id } }",
        &["window", "other_window"],
    ),
    row(
        "acceptCase",
        "mutation($received: ID!) { acceptCase(caseId: $received) { id } }",
        &["window"],
    ),
    row(
        "answerCase",
        "mutation($consultation: ID!) { answerCase(input: { caseId: $consultation, answer: \"可网上办理。\" }) { id } }",
        &["window"],
    ),
    row(
        "issueSupplementNotice",
        "mutation($received: ID!) { issueSupplementNotice(input: { caseId: $received, windowItems: [\"营业执照副本\"] }) { id } }",
        &["window"],
    ),
    row(
        "resubmitMaterials",
        "mutation($received: ID!) { resubmitMaterials(input: { caseId: $received }) { id } }",
        &["window"],
    ),
    row(
        "returnCase",
        "mutation($received: ID!) { returnCase(input: { caseId: $received, reason: \"材料不属本中心\", legalBasis: \"《行政许可法》第三十二条\" }) { id } }",
        &["window"],
    ),
    row(
        "refuseCase",
        "mutation($received: ID!) { refuseCase(input: { caseId: $received, reason: \"不属于许可事项\", legalBasis: \"《行政许可法》第三十二条\" }) { id } }",
        &["window"],
    ),
    row(
        "withdrawCase",
        "mutation($case: ID!) { withdrawCase(input: { caseId: $case, reason: \"申请人撤回\" }) { id } }",
        &["window"],
    ),
    row(
        "submitOpinion",
        "mutation($task: ID!) { submitOpinion(input: { taskId: $task, kind: APPROVE }) { id } }",
        &["reviewer", "head"],
    ),
    row(
        "transferTask",
        "mutation($task: ID!, $colleague: ID!) { transferTask(input: { taskId: $task, toStaffId: $colleague, reason: \"外出\" }) { id } }",
        &["reviewer", "head", "admin"],
    ),
    row(
        "recordAbsence",
        "mutation($reviewerId: ID!, $from: DateTime!, $until: DateTime!) { recordAbsence(input: { staffId: $reviewerId, startsAt: $from, endsAt: $until, reason: \"年休假\" }) { id } }",
        &["reviewer", "head", "admin"],
    ),
    row(
        "decideCase",
        "mutation($awaiting: ID!) { decideCase(input: { caseId: $awaiting, outcome: APPROVED }) { id } }",
        &["window"],
    ),
    row(
        "signNegativeReport",
        "mutation($report: ID!) { signNegativeReport(input: { reportId: $report, sign: true }) { id } }",
        &["leader"],
    ),
    row(
        "suspendCase",
        "mutation($case: ID!) { suspendCase(input: { caseId: $case, procedure: EXPERT_REVIEW, reason: \"专家评审\", legalBasis: \"《行政许可法》第四十五条\", expectedDays: 3 }) { id } }",
        &["window"],
    ),
    row(
        "resumeCase",
        "mutation($suspended: ID!) { resumeCase(caseId: $suspended) { id } }",
        &["window"],
    ),
    row(
        "extendDeadline",
        "mutation($case: ID!) { extendDeadline(input: { caseId: $case, days: 5, reason: \"需现场核查\" }) { id } }",
        &["leader"],
    ),
    row(
        "reportUp",
        "mutation($reportable: ID!) { reportUp(input: { caseId: $reportable, authority: \"省市场监管局\", limit: 20, unit: WORKING_DAYS }) { id } }",
        &["window"],
    ),
    row(
        "recordUpperAnswer",
        "mutation($reported: ID!) { recordUpperAnswer(input: { caseId: $reported, approved: true, answer: \"准予许可\" }) { id } }",
        &["window"],
    ),
    row(
        "deliverResult",
        "mutation($decided: ID!) { deliverResult(input: { caseId: $decided, method: \"窗口领取\" }) { id } }",
        &["window"],
    ),
    row(
        "archiveCase",
        "mutation($decided: ID!) { archiveCase(caseId: $decided) { id } }",
        &["window", "admin"],
    ),
    row(
        "resendMessage",
        "mutation($message: ID!) { resendMessage(id: $message) { id } }",
        &["admin"],
    ),
    row(
        "setCalendarYear",
        "mutation { setCalendarYear(input: { year: 2027, source: \"国务院办公厅通知\", holidays: [{ date: \"2027-01-01\", name: \"元旦\" }], makeUpDays: [] }) { recomputedClocks } }",
        &["admin"],
    ),
    row(
        "openSupervision",
        "mutation($fire: ID!, $case: ID!) { openSupervision(input: { departmentId: $fire, caseId: $case, title: \"督办\", detail: \"请加快办理\" }) { id } }",
        &["leader", "supervisor"],
    ),
    row(
        "assignSupervision",
        "mutation($item: ID!, $reviewerId: ID!) { assignSupervision(id: $item, assigneeId: $reviewerId) { id } }",
        &["head", "admin", "leader", "supervisor"],
    ),
    row(
        "chaseSupervision",
        "mutation($item: ID!) { chaseSupervision(id: $item, note: \"请于明日前答复\") { id } }",
        OVERSEERS,
    ),
    row(
        "answerSupervision",
        "mutation($item: ID!) { answerSupervision(id: $item, answer: \"已办结\") { id } }",
        &["reviewer", "head"],
    ),
    row(
        "archiveSupervision",
        "mutation($item: ID!) { archiveSupervision(id: $item) { id } }",
        OVERSEERS,
    ),
    row(
        "fileComplaint",
        "mutation($fire: ID!) { fileComplaint(input: { target: DEPARTMENT, departmentId: $fire, channel: PHONE, complainantName: \"赵投诉\", content: \"迟迟未办\" }) { id } }",
        &["window", "other_window", "admin", "leader", "supervisor"],
    ),
    row(
        "replyComplaint",
        "mutation($complaint: ID!) { replyComplaint(id: $complaint, reply: \"已整改\") { id } }",
        &["head", "admin"],
    ),
    row(
        "evaluateCase",
        "mutation($decidedNumber: String!) { evaluateCase(input: { caseNumber: $decidedNumber, grade: SATISFIED, channel: WINDOW_DEVICE }) { grade } }",
        &["window"],
    ),
    row(
        "verifyComplaint",
        "mutation($complaint: ID!) { verifyComplaint(id: $complaint, verified: true, category: ATTITUDE) { id } }",
        &["admin", "supervisor"],
    ),
    row(
        "setScoringRule",
        "mutation { setScoringRule(code: \"WRITTEN_THANKS\", points: 3) { points } }",
        &["admin"],
    ),
    row(
        "recordScore",
        "mutation($fire: ID!) { recordScore(input: { departmentId: $fire, ruleCode: \"WRITTEN_THANKS\", reason: \"来信表扬\" }) { points } }",
        &["admin"],
    ),
    row(
        "publishServiceGuide",
        "mutation { publishServiceGuide(input: { matterCode: \"SCJG-PRM-001\", materials: [{ name: \"申请书\" }], legalBasis: \"《食品安全法》第三十五条\" }) { version } }",
        &["admin"],
    ),
    row(
        "markCaseUrgent",
        "mutation($case: ID!) { markCaseUrgent(caseId: $case, category: MAJOR_PROJECT, reason: \"重大项目\") { urgent } }",
        &["window"],
    ),
    row(
        "bookAppointment",
        "mutation($window: ID!) { bookAppointment(input: { windowId: $window, matterCode: \"JOINT-001\", slotStart: \"2026-11-24T02:30:00Z\", applicant: { name: \"钱预约\", idNumber: \"110101199001011111\", phone: \"13600136000\", email: \"qian@example.com\" } }) { code } }",
        &["anonymous", "window", "other_window"],
    ),
    row(
        "requestHolidayService",
        "mutation { requestHolidayService(input: { matterCode: \"JOINT-001\", day: \"2026-11-28\", applicant: { name: \"钱预约\", idNumber: \"110101199001011111\", phone: \"13600136000\", email: \"qian@example.com\" } }) { code } }",
        &["anonymous", "window", "other_window"],
    ),
    row(
        "confirmAppointment",
        "mutation($booking: ID!, $mailedCode: String!) { confirmAppointment(appointmentId: $booking, confirmationCode: $mailedCode) { status } }",
        EVERYONE,
    ),
    row(
        "summonWindowStaff",
        "mutation($holiday: ID!, $windowStaff: ID!) { summonWindowStaff(appointmentId: $holiday, staffIds: [$windowStaff], start: \"2026-11-28T02:00:00Z\") { status } }",
        &["admin", "supervisor"],
    ),
    row(
        "receiveAppointment",
        "mutation($booking: ID!) { receiveAppointment(appointmentId: $booking) { case { number } } }",
        &["window"],
    ),
    row(
        "recordMissedAppointment",
        "mutation($booking: ID!) { recordMissedAppointment(appointmentId: $booking) { status } }",
        &["window"],
    ),
    row(
        "cancelAppointment",
        "mutation($booking: ID!) { cancelAppointment(appointmentId: $booking, reason: \"窗口临时关闭\") { status } }",
        &["window", "admin"],
    ),
    row(
        "saveServiceWindow",
        "mutation($fire: ID!) { saveServiceWindow(input: { departmentId: $fire, name: \"9号窗口\", location: \"三楼\", officeHours: [\"09:00-12:00\"] }) { id } }",
        &["admin"],
    ),
    // The organisation and accounts.
    row("installation", "{ installation { state } }", EVERYONE),
    row("allDepartments", "{ allDepartments { id } }", SIGNED_IN),
    row("staffMembers", "{ staffMembers { id } }", &["admin"]),
    row(
        "posts",
        "query($fire: ID!) { posts(departmentId: $fire) { id } }",
        &["head", "admin"],
    ),
    row("signIns", "{ signIns { totalCount } }", &["admin"]),
    row("logout", "mutation { logout }", SIGNED_IN),
    row(
        "changePassword",
        "mutation { changePassword(currentPassword: \"Lianban@2026\", newPassword: \"另一句足够长的密码短语\") back: changePassword(currentPassword: \"另一句足够长的密码短语\", newPassword: \"Lianban@2026\") }",
        SIGNED_IN,
    ),
    row(
        "setPasswordFromLink",
        "mutation($link: String!) { setPasswordFromLink(token: $link, newPassword: \"另一句足够长的密码短语\") { id } }",
        EVERYONE,
    ),
    row(
        "resetPassword",
        "mutation($reviewerId: ID!) { resetPassword(staffId: $reviewerId, method: LINK) { linkExpiresAt } }",
        &["admin"],
    ),
    row(
        "endSessions",
        "mutation($reviewerId: ID!) { endSessions(staffId: $reviewerId) }",
        &["admin"],
    ),
    row(
        "saveDepartment",
        "mutation($code: String!) { saveDepartment(input: { code: $code, name: \"新部门\" }) { id } }",
        &["admin"],
    ),
    row(
        "deactivateDepartment",
        "mutation($department: ID!) { deactivateDepartment(id: $department, expectedVersion: 0) { id } }",
        &["admin"],
    ),
    row(
        "saveStaff",
        "mutation($fire: ID!, $username: String!) { saveStaff(input: { username: $username, name: \"新同事\", email: \"new@lianban.example\", departmentId: $fire, roles: [REVIEWER] }) { staff { id } } }",
        &["admin"],
    ),
    row(
        "deactivateStaff",
        "mutation($person: ID!) { deactivateStaff(id: $person, expectedVersion: 0) { id } }",
        &["admin"],
    ),
    row(
        "reactivateStaff",
        "mutation($person: ID!) { reactivateStaff(id: $person, expectedVersion: 1) { id } }",
        &["admin"],
    ),
    row(
        "savePost",
        "mutation($post: ID!, $postVersion: Int!, $fire: ID!, $a: ID!) { savePost(input: { id: $post, expectedVersion: $postVersion, departmentId: $fire, name: \"审批岗\", aHolderId: $a }) { id } }",
        &["head", "admin"],
    ),
    row(
        "importOrganisation",
        "mutation { importOrganisation(input: { format: CSV, departmentsCsv: \"部门代码,部门名称,工作职责\\nZXGLB,政务服务中心管理办公室,\" }) { written } }",
        &["admin"],
    ),
    row(
        "setDutyRoster",
        "mutation($reviewerId: ID!) { setDutyRoster(day: \"2026-11-29\", staffIds: [$reviewerId]) { day } }",
        &["admin"],
    ),
];

/// What an answer says about authorization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// It ran: data for the operation and no error.
    Done,
    Forbidden,
    Unauthenticated,
}

/// The reads that answer a case the reader may not see as if it did not exist (so nobody learns
/// which case numbers exist).
const HIDDEN_WHEN_FORBIDDEN: &[&str] = &["case", "caseByNumber"];

fn verdict(row: &str, body: &Value) -> Result<Verdict, String> {
    let Some(error) = body["errors"].as_array().and_then(|e| e.first()) else {
        return if body["data"][row].is_null() {
            Err(format!("no data and no error: {body}"))
        } else {
            Ok(Verdict::Done)
        };
    };
    match error["extensions"]["code"].as_str() {
        Some("FORBIDDEN") => Ok(Verdict::Forbidden),
        Some("NOT_FOUND") if HIDDEN_WHEN_FORBIDDEN.contains(&row) => Ok(Verdict::Forbidden),
        Some("UNAUTHENTICATED") => Ok(Verdict::Unauthenticated),
        _ => Err(format!("unexpected answer {body}")),
    }
}

/// A second window, of 城市管理局 (the demo has one), with the demo password: created by the
/// centre admin with a temporary password, which its holder replaces at first sign-in.
async fn add_city_window(app: &TestApp) {
    let admin = app.login("admin").await;
    let departments = app
        .ok(Some(&admin), "{ allDepartments { id code } }", json!({}))
        .await;
    let city = departments["allDepartments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "CSGL")
        .unwrap()["id"]
        .clone();
    let made = app
        .ok(
            Some(&admin),
            "mutation($i: StaffInput!) { saveStaff(input: $i) { temporaryPassword } }",
            json!({ "i": {
        "username": "csgl.window", "name": "何窗口", "email": "csgl.window@lianban.example",
        "departmentId": city, "roles": ["WINDOW"], "firstPassword": "TEMPORARY",
    } }),
        )
        .await;
    let temporary = made["saveStaff"]["temporaryPassword"].as_str().unwrap();
    let signed = app
        .ok(
            None,
            "mutation($p: String!) { login(username: \"csgl.window\", password: $p) { token } }",
            json!({ "p": temporary }),
        )
        .await;
    let token = signed["login"]["token"].as_str().unwrap();
    app.ok(
        Some(token),
        "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }",
        json!({ "c": temporary, "n": lianban_engine::demo::DEMO_PASSWORD }),
    )
    .await;
}

/// Codes and usernames of the objects the rows create, each new.
static UNIQUE: AtomicU32 = AtomicU32::new(1);

/// A new applicant each time (bookings are limited per phone and mailbox, and the same
/// applicant booking the same slot again gets the first booking back).
fn new_applicant() -> (Value, String) {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let email = format!("applicant{n}@example.com");
    let applicant = json!({ "name": "钱预约", "idNumber": format!("1101011990{n:08}"), "phone": format!("136{n:08}"), "email": email });
    (applicant, email)
}

/// The first slot of the window with room left, from 24 November on.
async fn free_slot(app: &TestApp, window: &Value) -> Value {
    let list = app
        .ok(None, "query($w: ID!) { appointmentSlots(windowId: $w, from: \"2026-11-24\", days: 5) { slots { start available } } }", json!({ "w": window }))
        .await;
    list["appointmentSlots"]["slots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|slot| slot["available"].as_i64().unwrap() > 0)
        .expect("a free slot")["start"]
        .clone()
}

async fn mutate(app: &TestApp, token: &str, document: &str, variables: Value) -> Value {
    app.ok(Some(token), document, variables).await
}

/// The objects `row` needs, made fresh in `app`, as the variables of its document.
async fn prepare(app: &TestApp, signed: &Signed, row: &str) -> Value {
    let window = signed.token(app, "scjg.window").await;
    let admin = signed.token(app, "admin").await;
    let departments = app
        .ok(Some(&admin), "{ departments { id code } }", json!({}))
        .await["departments"]
        .clone();
    let fire = departments
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "XFJY")
        .unwrap()["id"]
        .clone();
    let reviewer_id = signed.staff_id(app, "xfjy.a").await;
    // The joint case every row can point at: in review, 消防's task with 刘消防.
    let (case, number) = flows::open_case(app, &window, "JOINT-001").await;
    let (_, tasks) = flows::accept(app, &window, &case).await;
    let task = tasks
        .iter()
        .find(|t| t.assignee == "xfjy.a")
        .unwrap()
        .id
        .clone();
    let windows = app
        .ok(
            None,
            "{ serviceWindows { id department { code } } }",
            json!({}),
        )
        .await;
    let market_window = windows["serviceWindows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["department"]["code"] == "SCJG")
        .unwrap()["id"]
        .clone();
    let mut vars = json!({ "case": case, "number": number, "task": task, "fire": fire, "reviewerId": reviewer_id, "window": market_window });
    let set = |vars: &mut Value, key: &str, value: Value| {
        vars[key] = value;
    };
    if matches!(
        row,
        "bookAppointment" | "requestHolidayService" | "confirmAppointment"
    ) {
        // Online bookings are limited per network address, phone and mailbox, and every cell
        // here books from the same address: each starts with the counters clear (the limits
        // themselves are booking_limits.rs's).
        throttle::Entity::delete_many()
            .exec(app.engine.db())
            .await
            .unwrap();
    }
    match row {
        "acceptCase" | "issueSupplementNotice" | "returnCase" | "refuseCase" => {
            let (id, _) = flows::open_case(app, &window, "JOINT-001").await;
            set(&mut vars, "received", json!(id));
        }
        "resubmitMaterials" => {
            let (id, _) = flows::open_case(app, &window, "JOINT-001").await;
            mutate(app, &window, "mutation($c: ID!) { issueSupplementNotice(input: { caseId: $c, windowItems: [\"营业执照副本\"] }) { id } }", json!({ "c": id })).await;
            set(&mut vars, "received", json!(id));
        }
        "answerCase" => {
            let (id, _) = flows::open_case(app, &window, "SCJG-CON-001").await;
            set(&mut vars, "consultation", json!(id));
        }
        "transferTask" => {
            set(
                &mut vars,
                "colleague",
                json!(signed.staff_id(app, "xfjy.b").await),
            );
        }
        "decideCase" => {
            signed.approve_all(app, &tasks).await;
            set(&mut vars, "awaiting", json!(case));
        }
        "signNegativeReport" => {
            signed.approve_all(app, &tasks).await;
            let filed = mutate(app, &window, "mutation($c: ID!) { decideCase(input: { caseId: $c, outcome: DENIED, reason: \"不符合条件\", legalBasis: \"《食品安全法》第三十五条\" }) { id } }", json!({ "c": case })).await;
            assert!(filed["decideCase"]["id"].is_string());
            let leader = signed.token(app, "leader").await;
            let reports = app
                .ok(
                    Some(&leader),
                    "{ reportsToSign { nodes { id } } }",
                    json!({}),
                )
                .await;
            set(
                &mut vars,
                "report",
                reports["reportsToSign"]["nodes"][0]["id"].clone(),
            );
        }
        "resumeCase" => {
            mutate(app, &window, "mutation($c: ID!) { suspendCase(input: { caseId: $c, procedure: EXPERT_REVIEW, reason: \"专家评审\", legalBasis: \"《行政许可法》第四十五条\", expectedDays: 3 }) { id } }", json!({ "c": case })).await;
            set(&mut vars, "suspended", json!(case));
        }
        "reportUp" | "recordUpperAnswer" => {
            let (id, _) = flows::open_case(app, &window, "SCJG-RPT-001").await;
            mutate(
                app,
                &window,
                "mutation($c: ID!) { acceptCase(caseId: $c) { id } }",
                json!({ "c": id }),
            )
            .await;
            if row == "recordUpperAnswer" {
                mutate(app, &window, "mutation($c: ID!) { reportUp(input: { caseId: $c, authority: \"省市场监管局\", limit: 20, unit: WORKING_DAYS }) { id } }", json!({ "c": id })).await;
            }
            set(&mut vars, "reportable", json!(id));
            set(&mut vars, "reported", json!(id));
        }
        "deliverResult" | "archiveCase" | "evaluateCase" => {
            signed.approve_all(app, &tasks).await;
            app.readme(Some(&window), "Decide", json!({ "caseId": case }))
                .await;
            if row == "archiveCase" {
                mutate(app, &window, "mutation($c: ID!) { deliverResult(input: { caseId: $c, method: \"窗口领取\" }) { id } }", json!({ "c": case })).await;
            }
            set(&mut vars, "decided", json!(case));
            set(&mut vars, "decidedNumber", json!(number));
        }
        "resendMessage" => {
            // A message the sender gave up on after its eight attempts (the mail tests reach
            // this state through a failing SMTP server; here the row is set so directly).
            let messages = app
                .ok(
                    Some(&admin),
                    "{ outboxMessages(status: PENDING, first: 1) { nodes { id } } }",
                    json!({}),
                )
                .await;
            let id = messages["outboxMessages"]["nodes"][0]["id"].clone();
            let row =
                outbox::Entity::find_by_id(uuid::Uuid::parse_str(id.as_str().unwrap()).unwrap())
                    .one(app.engine.db())
                    .await
                    .unwrap()
                    .unwrap();
            outbox::ActiveModel {
                status: Set(OutboxStatus::Failed),
                attempts: Set(8),
                last_error: Set(Some("550 mailbox unavailable".to_owned())),
                ..row.into()
            }
            .update(app.engine.db())
            .await
            .unwrap();
            set(&mut vars, "message", id);
        }
        "assignSupervision" | "chaseSupervision" | "answerSupervision" | "archiveSupervision" => {
            let supervisor = signed.token(app, "supervisor").await;
            let item = mutate(app, &supervisor, "mutation($d: ID!, $c: ID!) { openSupervision(input: { departmentId: $d, caseId: $c, title: \"督办\", detail: \"请加快办理\" }) { id } }", json!({ "d": fire, "c": case })).await["openSupervision"]["id"].clone();
            if row != "assignSupervision" {
                let head = signed.token(app, "xfjy.head").await;
                mutate(app, &head, "mutation($i: ID!, $a: ID!) { assignSupervision(id: $i, assigneeId: $a) { id } }", json!({ "i": item, "a": reviewer_id })).await;
            }
            if row == "archiveSupervision" {
                let head = signed.token(app, "xfjy.head").await;
                mutate(
                    app,
                    &head,
                    "mutation($i: ID!) { answerSupervision(id: $i, answer: \"已办结\") { id } }",
                    json!({ "i": item }),
                )
                .await;
            }
            set(&mut vars, "item", item);
        }
        "confirmAppointment" => {
            // Booked online: held until the applicant types the code mailed to them.
            let (applicant, email) = new_applicant();
            let booked = { let slot = free_slot(app, &vars["window"]).await; set(&mut vars, "slotStart", slot.clone()); app.ok(None, "mutation($w: ID!, $a: BookingApplicantInput!, $slot: DateTime!) { bookAppointment(input: { windowId: $w, matterCode: \"JOINT-001\", slotStart: $slot, applicant: $a }) { id } }", json!({ "w": vars["window"], "a": applicant, "slot": slot })) }.await;
            set(
                &mut vars,
                "booking",
                booked["bookAppointment"]["id"].clone(),
            );
            set(
                &mut vars,
                "mailedCode",
                json!(crate::appointments::mailed_code(app, &email).await),
            );
        }
        "appointment" | "receiveAppointment" | "recordMissedAppointment" | "cancelAppointment" => {
            let (applicant, _) = new_applicant();
            let booked = { let slot = free_slot(app, &vars["window"]).await; set(&mut vars, "slotStart", slot.clone()); mutate(app, &window, "mutation($w: ID!, $a: BookingApplicantInput!, $slot: DateTime!) { bookAppointment(input: { windowId: $w, matterCode: \"JOINT-001\", slotStart: $slot, applicant: $a }) { id } }", json!({ "w": vars["window"], "a": applicant, "slot": slot })) }.await;
            set(
                &mut vars,
                "booking",
                booked["bookAppointment"]["id"].clone(),
            );
        }
        "recordAbsence" => {
            // A day of its own each time: absences of one person may not overlap.
            static DAY: AtomicU32 = AtomicU32::new(0);
            let from = chrono::DateTime::parse_from_rfc3339("2026-12-07T00:00:00Z").unwrap()
                + chrono::Duration::days(i64::from(DAY.fetch_add(1, Ordering::Relaxed)));
            set(&mut vars, "from", json!(from.to_rfc3339()));
            set(
                &mut vars,
                "until",
                json!((from + chrono::Duration::days(1)).to_rfc3339()),
            );
        }
        "summonWindowStaff" => {
            let (applicant, _) = new_applicant();
            let asked = mutate(app, &window, "mutation($a: BookingApplicantInput!) { requestHolidayService(input: { matterCode: \"JOINT-001\", day: \"2026-11-28\", applicant: $a }) { id } }", json!({ "a": applicant })).await;
            set(
                &mut vars,
                "holiday",
                asked["requestHolidayService"]["id"].clone(),
            );
            set(
                &mut vars,
                "windowStaff",
                json!(signed.staff_id(app, "scjg.window").await),
            );
        }
        "saveDepartment" | "saveStaff" => {
            let n = UNIQUE.fetch_add(1, Ordering::Relaxed);
            set(&mut vars, "code", json!(format!("NEW{n}")));
            set(&mut vars, "username", json!(format!("new.{n}")));
        }
        "deactivateDepartment" => {
            let n = UNIQUE.fetch_add(1, Ordering::Relaxed);
            let made = mutate(app, &admin, "mutation($c: String!) { saveDepartment(input: { code: $c, name: \"空部门\" }) { id } }", json!({ "c": format!("EMPTY{n}") })).await;
            set(
                &mut vars,
                "department",
                made["saveDepartment"]["id"].clone(),
            );
        }
        "deactivateStaff" | "reactivateStaff" | "setPasswordFromLink" => {
            let n = UNIQUE.fetch_add(1, Ordering::Relaxed);
            let made = mutate(app, &admin, "mutation($f: ID!, $u: String!) { saveStaff(input: { username: $u, name: \"临时工\", email: \"temp@lianban.example\", departmentId: $f, roles: [LEADER] }) { staff { id } } }", json!({ "f": fire, "u": format!("temp.{n}") })).await;
            let person = made["saveStaff"]["staff"]["id"].clone();
            if row == "reactivateStaff" {
                mutate(
                    app,
                    &admin,
                    "mutation($p: ID!) { deactivateStaff(id: $p, expectedVersion: 0) { id } }",
                    json!({ "p": person }),
                )
                .await;
            }
            if row == "setPasswordFromLink" {
                // The link went out by mail: its secret, as the outbox holds it.
                let mail = outbox::Entity::find()
                    .filter(
                        outbox::Column::RecipientId
                            .eq(uuid::Uuid::parse_str(person.as_str().unwrap()).unwrap()),
                    )
                    .one(app.engine.db())
                    .await
                    .unwrap()
                    .unwrap();
                set(&mut vars, "link", mail.payload["token"].clone());
            }
            set(&mut vars, "person", person);
        }
        "savePost" => {
            let posts = mutate(
                app,
                &admin,
                "query($f: ID!) { posts(departmentId: $f) { id version aHolder { id } } }",
                json!({ "f": fire }),
            )
            .await;
            let post = posts["posts"][0].clone();
            set(&mut vars, "post", post["id"].clone());
            set(&mut vars, "postVersion", post["version"].clone());
            set(&mut vars, "a", post["aHolder"]["id"].clone());
        }
        "replyComplaint" | "verifyComplaint" => {
            let complaint = mutate(app, &window, "mutation($d: ID!) { fileComplaint(input: { target: DEPARTMENT, departmentId: $d, channel: PHONE, complainantName: \"赵投诉\", content: \"迟迟未办\" }) { id } }", json!({ "d": fire })).await["fileComplaint"]["id"].clone();
            set(&mut vars, "complaint", complaint);
        }
        _ => {}
    }
    vars
}

/// Tokens and staff ids, each read once: the matrix prepares hundreds of objects, and signing in
/// verifies a password hash every time.
#[derive(Default)]
struct Signed {
    tokens: RefCell<HashMap<String, String>>,
    staff: RefCell<HashMap<String, String>>,
}

impl Signed {
    async fn token(&self, app: &TestApp, username: &str) -> String {
        if let Some(token) = self.tokens.borrow().get(username) {
            return token.clone();
        }
        let token = app.login(username).await;
        self.tokens
            .borrow_mut()
            .insert(username.to_owned(), token.clone());
        token
    }

    async fn staff_id(&self, app: &TestApp, username: &str) -> String {
        if let Some(id) = self.staff.borrow().get(username) {
            return id.clone();
        }
        let id = flows::staff_id(app, username).await;
        self.staff
            .borrow_mut()
            .insert(username.to_owned(), id.clone());
        id
    }

    /// Approves every task as its assignee.
    async fn approve_all(&self, app: &TestApp, tasks: &[flows::TaskRef]) {
        for task in tasks {
            let token = self.token(app, &task.assignee).await;
            let data = app
                .readme(Some(&token), "Approve", json!({ "taskId": task.id }))
                .await;
            assert_eq!(data["submitOpinion"]["task"]["status"], "RESOLVED");
        }
    }
}

/// Only the variables a document declares (GraphQL refuses undeclared ones).
fn declared(document: &str, vars: &Value) -> Value {
    let mut out = serde_json::Map::new();
    for (key, value) in vars.as_object().unwrap() {
        if document.contains(&format!("${key}:")) {
            out.insert(key.clone(), value.clone());
        }
    }
    Value::Object(out)
}

on_both_databases! {
    async fn every_operation_lets_through_exactly_the_roles_spec_section_1_names(app: TestApp) {
        // The table covers the schema: every query and mutation has its row.
        let schema = app.ok(None, "{ __schema { queryType { fields { name } } mutationType { fields { name } } } }", json!({})).await;
        let in_schema: BTreeSet<String> = ["queryType", "mutationType"].iter()
            .flat_map(|t| schema["__schema"][t]["fields"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap().to_owned()))
            .collect();
        let in_table: BTreeSet<String> = ROWS.iter().map(|r| r.name.to_owned()).collect();
        assert_eq!(in_schema, in_table, "every query and mutation has a row in the matrix");

        add_city_window(&app).await;
        let mut tokens = std::collections::HashMap::new();
        for (actor, username) in ACTORS {
            if let Some(username) = username {
                tokens.insert(*actor, app.login(username).await);
            }
        }
        let signed = Signed::default();
        let mut wrong = Vec::new();
        for row in ROWS {
            let refused_vars = declared(row.document, &prepare(&app, &signed, row.name).await);
            // Those to be refused first, on one set of objects (a refusal changes nothing); then
            // each one let through on objects of their own.
            let mut order: Vec<&(&str, Option<&str>)> = ACTORS.iter().filter(|(a, _)| !row.allowed.contains(a)).collect();
            order.extend(ACTORS.iter().filter(|(a, _)| row.allowed.contains(a)));
            for (actor, _) in order {
                let (vars, vars_slot) = if row.allowed.contains(actor) {
                    let all = prepare(&app, &signed, row.name).await;
                    (declared(row.document, &all), all.get("slotStart").cloned())
                } else {
                    (refused_vars.clone(), None)
                };
                // A booking is recorded as missed once its slot has begun: let the time pass
                // for that cell (signing in again at the later time), then turn the clock back.
                let slot_begun = row.name == "recordMissedAppointment" && row.allowed.contains(actor);
                let back_to = app.clock_now();
                let mut token = tokens.get(actor).cloned();
                // Signing out and a new password end sessions: those cells sign in afresh.
                let own_session = matches!(row.name, "logout" | "changePassword");
                if own_session && row.allowed.contains(actor) && token.is_some() {
                    let username = ACTORS.iter().find(|(a, _)| a == actor).and_then(|(_, u)| *u).unwrap();
                    token = Some(app.login(username).await);
                }
                if slot_begun {
                    let start = vars_slot.as_ref().and_then(|v| v.as_str()).unwrap();
                    app.clock.set(chrono::DateTime::parse_from_rfc3339(start).unwrap().to_utc() + chrono::Duration::minutes(1));
                    let username = ACTORS.iter().find(|(a, _)| a == actor).and_then(|(_, u)| *u).unwrap();
                    token = Some(app.login(username).await);
                }
                let body = app.post(token.as_deref(), row.document, vars).await;
                if own_session {
                    // The prepared objects' tokens may have been those sessions.
                    signed.tokens.borrow_mut().clear();
                }
                if slot_begun {
                    app.clock.set(back_to);
                }
                let expected = if row.allowed.contains(actor) {
                    Verdict::Done
                } else if *actor == "anonymous" {
                    Verdict::Unauthenticated
                } else {
                    Verdict::Forbidden
                };
                match verdict(row.name, &body) {
                    Ok(got) if got == expected => {}
                    Ok(got) => wrong.push(format!("{} as {actor}: expected {expected:?}, got {got:?}: {body}", row.name)),
                    Err(message) => wrong.push(format!("{} as {actor}: {message}", row.name)),
                }
            }
            // A new password ends the person's other sessions, and an admin ends the reviewer's:
            // everyone signs in again for the rows after.
            if matches!(row.name, "changePassword" | "endSessions") {
                for (actor, username) in ACTORS {
                    if let Some(username) = username {
                        tokens.insert(*actor, app.login(username).await);
                    }
                }
                signed.tokens.borrow_mut().clear();
            }
        }
        assert!(wrong.is_empty(), "{} wrong answers:\n{}", wrong.len(), wrong.join("\n"));
    }

    async fn personal_data_is_masked_for_everyone_who_does_not_handle_the_case(app: TestApp) {
        let (_, case, _, _) = flows::joint_case_in_review(&app).await;
        const APPLICANT: &str = "query($c: ID!) { case(id: $c) { applicant { name idNumber phone } } }";
        for (username, handles) in [("scjg.window", true), ("xfjy.a", true), ("sthj.head", true), ("admin", false), ("leader", false), ("supervisor", false)] {
            let token = app.login(username).await;
            let applicant = app.ok(Some(&token), APPLICANT, json!({ "c": case })).await["case"]["applicant"].clone();
            if handles {
                assert_eq!((applicant["idNumber"].clone(), applicant["phone"].clone()), (json!("110101199003071234"), json!("13900139000")), "{username}");
            } else {
                assert_eq!((applicant["idNumber"].clone(), applicant["phone"].clone()), (json!("110************234"), json!("139*****000")), "{username}");
            }
        }
        // Reached through a supervision item, the case is masked the same way.
        let supervisor = app.login("supervisor").await;
        let departments = app.ok(Some(&supervisor), "{ departments { id code } }", json!({})).await["departments"].clone();
        let fire = departments.as_array().unwrap().iter().find(|d| d["code"] == "XFJY").unwrap()["id"].clone();
        app.ok(Some(&supervisor), "mutation($d: ID!, $c: ID!) { openSupervision(input: { departmentId: $d, caseId: $c, title: \"督办\", detail: \"请加快\" }) { id } }", json!({ "d": fire, "c": case })).await;
        let through = app.ok(Some(&supervisor), "{ supervisions { nodes { case { applicant { idNumber phone } } } } }", json!({})).await;
        assert_eq!(through["supervisions"]["nodes"][0]["case"]["applicant"], json!({ "idNumber": "110************234", "phone": "139*****000" }));
    }

    async fn a_co_handling_department_sees_only_its_own_part_of_a_case(app: TestApp) {
        let (window, case, _, tasks) = flows::joint_case_in_review(&app).await;
        // 环评 asks for material with a reason; 消防 approves.
        let sthj = tasks.iter().find(|t| t.assignee == "sthj.a").unwrap();
        flows::opinion(&app, sthj, json!({ "taskId": sthj.id, "kind": "NEEDS_SUPPLEMENT", "missingItems": ["环评报告表"] })).await;
        flows::approve(&app, tasks.iter().find(|t| t.assignee == "xfjy.a").unwrap()).await;
        const PARTS: &str = "query($c: ID!) { case(id: $c) { tasks { department { code } } opinions { department { code } } timeline { kind } } }";
        let fire = app.login("xfjy.a").await;
        let seen = app.ok(Some(&fire), PARTS, json!({ "c": case })).await["case"].clone();
        assert_eq!(seen["tasks"], json!([{ "department": { "code": "XFJY" } }]));
        assert_eq!(seen["opinions"], json!([{ "department": { "code": "XFJY" } }]));
        let kinds: Vec<&str> = seen["timeline"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds.iter().filter(|k| **k == "TASK_CREATED").count(), 1, "its own task's events only: {kinds:?}");
        assert_eq!(kinds.iter().filter(|k| **k == "OPINION_SUBMITTED").count(), 1, "{kinds:?}");
        // The lead window, which merges the opinions, sees all three and both opinions.
        let lead = app.ok(Some(&window), PARTS, json!({ "c": case })).await["case"].clone();
        assert_eq!(lead["tasks"].as_array().unwrap().len(), 3);
        assert_eq!(lead["opinions"].as_array().unwrap().len(), 2);
    }
}
