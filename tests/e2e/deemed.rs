//! 默认同意 — a per-matter policy, off by default: when on, a task with no opinion at its
//! deadline resolves as DEEMED_APPROVED (the deadline sweep runs this engine job).

use crate::support::flows;
use chrono::Duration;
use lianban_entity::matter;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
};

async fn turn_on_deemed_consent(app: &crate::support::TestApp) {
    let joint = matter::Entity::find()
        .filter(matter::Column::Code.eq("JOINT-001"))
        .one(app.engine.db())
        .await
        .unwrap()
        .unwrap();
    let mut active = joint.into_active_model();
    active.deemed_consent = Set(true);
    active.update(app.engine.db()).await.unwrap();
}

const STATE: &str = "status tasks { status department { name } opinion { kind author { name } reason } } timeline { kind }";

on_both_databases! {
    async fn deemed_consent_is_off_by_default(app: TestApp) {
        let (_, case_id, _, tasks) = flows::joint_case_in_review(&app).await;
        flows::approve(&app, &tasks[0]).await;
        app.clock.advance(Duration::days(10)); // every department's 5 days are long gone
        assert_eq!(app.engine.apply_deemed_consent(app.clock_now()).await.unwrap(), 0);
        let window2 = app.login("scjg.window").await;
        let case = flows::case(&app, &window2, &case_id, STATE).await;
        assert_eq!(case["status"], "IN_REVIEW");
        let catalogue = app.ok(Some(&window2), "{ matters { code deemedConsent } }", serde_json::json!({})).await;
        assert!(catalogue["matters"].as_array().unwrap().iter().all(|m| m["deemedConsent"] == false));
    }

    async fn a_silent_department_is_deemed_to_approve_at_its_deadline_when_the_matter_says_so(app: TestApp) {
        turn_on_deemed_consent(&app).await;
        let (_, case_id, _, tasks) = flows::joint_case_in_review(&app).await;
        flows::approve(&app, &tasks[0]).await;
        // Friday 27 Nov: the departments' limits (Monday 30 Nov 18:00) have not run out.
        app.clock.advance(Duration::days(4));
        assert_eq!(app.engine.apply_deemed_consent(app.clock_now()).await.unwrap(), 0);
        // Tuesday 1 Dec: the two silent departments are past their deadline.
        app.clock.advance(Duration::days(4));
        assert_eq!(app.engine.apply_deemed_consent(app.clock_now()).await.unwrap(), 2);
        assert_eq!(app.engine.apply_deemed_consent(app.clock_now()).await.unwrap(), 0, "idempotent");
        let window = app.login("scjg.window").await;
        let case = flows::case(&app, &window, &case_id, STATE).await;
        assert_eq!(case["status"], "AWAITING_DECISION");
        let kinds: Vec<&str> = case["tasks"].as_array().unwrap().iter().map(|t| t["opinion"]["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["APPROVE", "DEEMED_APPROVED", "DEEMED_APPROVED"]);
        assert_eq!(case["tasks"][1]["opinion"]["author"], serde_json::Value::Null, "nobody wrote it");
        let timeline: Vec<&str> = case["timeline"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert_eq!(timeline.iter().filter(|k| **k == "TASK_DEEMED_APPROVED").count(), 2);
        let decided = app.readme(Some(&window), "Decide", serde_json::json!({ "caseId": case_id })).await;
        assert_eq!(decided["decideCase"]["status"], "DECIDED");
        // 考核: each silent department answers for an overdue case, caused by the deemed consent.
        let leader = app.login("leader").await;
        let entries = app.ok(Some(&leader), "{ scoreEntries { nodes { ruleCode points causeKind department { name } } } }", serde_json::json!({})).await;
        let mut lines: Vec<String> = entries["scoreEntries"]["nodes"].as_array().unwrap().iter()
            .map(|e| format!("{} {} {} {}", e["department"]["name"].as_str().unwrap(), e["ruleCode"].as_str().unwrap(), e["points"], e["causeKind"].as_str().unwrap()))
            .collect();
        lines.sort();
        let mut silent: Vec<String> = tasks[1..].iter().map(|t| format!("{} CASE_OVERDUE -5 TASK_DEEMED_APPROVED", t.department)).collect();
        silent.sort();
        assert_eq!(lines, silent);
    }
}
