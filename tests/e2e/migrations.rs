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
