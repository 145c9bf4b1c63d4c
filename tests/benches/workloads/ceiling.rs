//! W1's ceiling: the rows one open-and-accept writes, by plain SQL (multi-row INSERTs built
//! with sea-query, no ORM), in one transaction begun the engine's way (its writers' queue on
//! SQLite, so the ceiling never waits in SQLite's busy handler).

use chrono::Utc;
use lianban_engine::Engine;
use lianban_rules::CaseStatus;
use lianban_rules::mail::{CaseStatusChanged, Mail, TaskAssigned};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use serde_json::json;
use uuid::Uuid;

/// The rows one open-and-accept writes, by plain SQL in one transaction: the day's counter,
/// the case, 6 clocks, 5 tasks, 6 outbox messages, the acceptance notice and 8 events.
pub async fn raw_open_and_accept(
    engine: &Engine,
    matter: Uuid,
    department: Uuid,
    window: Uuid,
    posts: &[(Uuid, Uuid, Uuid)],
    n: u64,
) {
    // The engine's own way in: on SQLite the writers' queue, then BEGIN IMMEDIATE.
    let (_gate, txn) = engine.begin_write().await.unwrap();
    let now = engine.now();
    let day = "20261123";
    let counter = Query::insert()
        .into_table("case_number_counters")
        .columns(["day", "last"])
        .values([day.into(), 1i64.into()])
        .unwrap()
        .on_conflict(
            OnConflict::column("day")
                .value("last", Expr::col(("case_number_counters", "last")).add(1))
                .to_owned(),
        )
        .returning_col("last")
        .to_owned();
    let last: i64 = txn
        .query_one(&counter)
        .await
        .unwrap()
        .unwrap()
        .try_get("", "last")
        .unwrap();
    let case_clock = Uuid::now_v7();
    let mut clocks = Query::insert()
        .into_table("clocks")
        .columns([
            "id",
            "case_id",
            "task_id",
            "unit",
            "budget",
            "started_at",
            "due_at",
            "state",
            "stopped_at",
            "provisional",
            "rung",
            "reminders",
            "next_rung_at",
        ])
        .to_owned();
    let case = Uuid::now_v7();
    let number = format!("LB-{day}-{last:06}-{n}");
    let task_ids: Vec<Uuid> = posts.iter().map(|_| Uuid::now_v7()).collect();
    clocks
        .values([
            case_clock.into(),
            case.into(),
            Option::<Uuid>::None.into(),
            "WORKING_DAYS".into(),
            10i64.into(),
            now.into(),
            now.into(),
            "RUNNING".into(),
            Option::<chrono::DateTime<Utc>>::None.into(),
            false.into(),
            0i32.into(),
            0i32.into(),
            Some(now).into(),
        ])
        .unwrap();
    let task_clocks: Vec<Uuid> = posts.iter().map(|_| Uuid::now_v7()).collect();
    for (id, task) in task_clocks.iter().zip(&task_ids) {
        clocks
            .values([
                (*id).into(),
                case.into(),
                Some(*task).into(),
                "WORKING_DAYS".into(),
                5i64.into(),
                now.into(),
                now.into(),
                "RUNNING".into(),
                Option::<chrono::DateTime<Utc>>::None.into(),
                false.into(),
                0i32.into(),
                0i32.into(),
                Some(now).into(),
            ])
            .unwrap();
    }
    txn.execute(&clocks).await.unwrap();
    let insert_case = Query::insert()
        .into_table("cases")
        .columns([
            "id",
            "number",
            "matter_id",
            "kind",
            "status",
            "applicant_name",
            "applicant_id_number",
            "applicant_phone",
            "first_responder_id",
            "lead_staff_id",
            "lead_department_id",
            "clock_id",
            "received_at",
            "accepted_at",
            "version",
            "updated_at",
        ])
        .values([
            case.into(),
            number.clone().into(),
            matter.into(),
            "JOINT".into(),
            "IN_REVIEW".into(),
            "基准申请人".into(),
            "110101199003071234".into(),
            "13800138000".into(),
            window.into(),
            window.into(),
            department.into(),
            Some(case_clock).into(),
            now.into(),
            Some(now).into(),
            0i64.into(),
            now.into(),
        ])
        .unwrap()
        .to_owned();
    txn.execute(&insert_case).await.unwrap();
    let mut tasks = Query::insert()
        .into_table("tasks")
        .columns([
            "id",
            "case_id",
            "department_id",
            "post_id",
            "assignee_id",
            "status",
            "clock_id",
            "review_limit",
            "created_at",
        ])
        .to_owned();
    let mut outbox = Query::insert()
        .into_table("outbox")
        .columns([
            "id",
            "message_id",
            "recipient_id",
            "recipient_email",
            "template",
            "payload",
            "status",
            "attempts",
            "next_attempt_at",
            "created_at",
        ])
        .to_owned();
    let mut events = Query::insert()
        .into_table("events")
        .columns(["case_id", "task_id", "actor_id", "kind", "at", "after"])
        .to_owned();
    events
        .values([
            case.into(),
            Option::<Uuid>::None.into(),
            window.into(),
            "CASE_OPENED".into(),
            now.into(),
            json!({"status": "RECEIVED"}).into(),
        ])
        .unwrap();
    events
        .values([
            case.into(),
            Option::<Uuid>::None.into(),
            window.into(),
            "CASE_ACCEPTED".into(),
            now.into(),
            json!({"status": "IN_REVIEW"}).into(),
        ])
        .unwrap();
    for (((department, post, assignee), clock), &task) in
        posts.iter().zip(&task_clocks).zip(&task_ids)
    {
        tasks
            .values([
                task.into(),
                case.into(),
                (*department).into(),
                (*post).into(),
                (*assignee).into(),
                "OPEN".into(),
                (*clock).into(),
                5i32.into(),
                now.into(),
            ])
            .unwrap();
        outbox
            .values([
                Uuid::now_v7().into(),
                format!("task-{task}").into(),
                (*assignee).into(),
                "reviewer@lianban.example".into(),
                "task_assigned".into(),
                Mail::TaskAssigned(TaskAssigned {
                    case_id: case,
                    number: number.clone(),
                    task_id: task,
                })
                .payload()
                .unwrap()
                .into(),
                "PENDING".into(),
                0i32.into(),
                now.into(),
                now.into(),
            ])
            .unwrap();
        events
            .values([
                case.into(),
                Some(task).into(),
                window.into(),
                "TASK_CREATED".into(),
                now.into(),
                json!({"assigneeId": assignee}).into(),
            ])
            .unwrap();
    }
    outbox
        .values([
            Uuid::now_v7().into(),
            format!("case-{case}-status").into(),
            window.into(),
            "window@lianban.example".into(),
            "case_status_changed".into(),
            Mail::CaseStatusChanged(CaseStatusChanged {
                case_id: case,
                number,
                from: CaseStatus::Received,
                to: CaseStatus::InReview,
            })
            .payload()
            .unwrap()
            .into(),
            "PENDING".into(),
            0i32.into(),
            now.into(),
            now.into(),
        ])
        .unwrap();
    events
        .values([
            case.into(),
            Option::<Uuid>::None.into(),
            window.into(),
            "NOTICE_ISSUED".into(),
            now.into(),
            json!({"kind": "ACCEPTANCE"}).into(),
        ])
        .unwrap();
    txn.execute(&tasks).await.unwrap();
    txn.execute(&outbox).await.unwrap();
    let notice = Query::insert()
        .into_table("notices")
        .columns([
            "id",
            "case_id",
            "kind",
            "title",
            "body",
            "issued_by",
            "issued_at",
        ])
        .values([
            Uuid::now_v7().into(),
            case.into(),
            "ACCEPTANCE".into(),
            "受理通知书".into(),
            "基准申请人：……".repeat(8).into(),
            window.into(),
            now.into(),
        ])
        .unwrap()
        .to_owned();
    txn.execute(&notice).await.unwrap();
    txn.execute(&events).await.unwrap();
    txn.commit().await.unwrap();
}
