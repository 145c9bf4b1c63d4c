//! The schema migrates down and up again on both databases, and the product works after it.

use lianban_migration::{Migrator, MigratorTrait, SchemaManager};
use serde_json::json;

const TABLES: [&str; 20] = [
    "departments",
    "staff",
    "posts",
    "post_b_holders",
    "absences",
    "matters",
    "matter_departments",
    "clocks",
    "case_number_counters",
    "cases",
    "tasks",
    "opinions",
    "notices",
    "events",
    "outbox",
    "idempotency_keys",
    "clock_pauses",
    "suspensions",
    "calendar_year_versions",
    "seaql_migrations",
];

on_both_databases! {
    async fn every_migration_rolls_back_and_reapplies(app: TestApp) {
        let db = app.engine.db();
        let manager = SchemaManager::new(db);
        for table in TABLES {
            assert!(manager.has_table(table).await.unwrap(), "{table} exists after up");
        }
        Migrator::down(db, None).await.unwrap();
        for table in &TABLES[..19] {
            assert!(!manager.has_table(*table).await.unwrap(), "{table} dropped by down");
        }
        Migrator::up(db, None).await.unwrap();
        app.engine.load_demo().await.unwrap();
        let token = app.login("scjg.window").await;
        let me = app.ok(Some(&token), "{ me { name } }", json!({})).await;
        assert_eq!(me["me"]["name"], "王窗口");
    }
}

on_both_databases! {
    async fn the_board_migration_gives_existing_clocks_their_department(app: TestApp) {
        let (_, _, _, _tasks) = crate::support::flows::joint_case_in_review(&app).await;
        let db = app.engine.db();
        // Undo the step that added `clocks.department_id`, then apply it to the existing rows.
        Migrator::down(db, Some(1)).await.unwrap();
        Migrator::up(db, None).await.unwrap();
        let leader = app.login("leader").await;
        let board = app.readme(Some(&leader), "LeadershipBoard", json!({})).await["leadershipBoard"].clone();
        let mut open: Vec<(String, i64)> = board["departments"].as_array().unwrap().iter()
            .filter(|d| d["counts"]["open"].as_i64().unwrap() > 0)
            .map(|d| (d["department"]["code"].as_str().unwrap().to_owned(), d["counts"]["open"].as_i64().unwrap()))
            .collect();
        open.sort();
        // The case's own clock answers to the lead (市场监管局), each task's to its department.
        assert_eq!(open, [("SCJG".to_owned(), 1), ("STHJ".to_owned(), 1), ("WSJK".to_owned(), 1), ("XFJY".to_owned(), 1)]);
    }
}
