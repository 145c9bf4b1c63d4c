//! The schema migrates down and up again one step at a time on both databases: each step's
//! `down` undoes exactly what its `up` made — every table, column, index, constraint, trigger
//! and function, as the database's own catalogue describes them — and the product works after
//! the round trip.

use lianban_migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use serde_json::json;
use std::collections::BTreeSet;

/// What the catalogue says of SQLite's schema, one line per fact.
const SQLITE_SCHEMA: &str = "\
    SELECT 'table ' || m.name || ' column ' || p.name || ' ' || p.type || \
      ' notnull=' || p.\"notnull\" || ' default=' || COALESCE(p.dflt_value, '-') || ' pk=' || p.pk AS fact \
      FROM sqlite_master m JOIN pragma_table_info(m.name) p \
      WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
    UNION ALL \
    SELECT 'table ' || m.name || ' index ' || i.name || ' unique=' || i.\"unique\" || ' on ' || \
      (SELECT group_concat(c.name, ',') FROM pragma_index_info(i.name) c) AS fact \
      FROM sqlite_master m JOIN pragma_index_list(m.name) i \
      WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
    UNION ALL \
    SELECT 'table ' || m.name || ' foreign key ' || f.\"from\" || ' -> ' || f.\"table\" || '.' || \
      COALESCE(f.\"to\", '') || ' on delete ' || f.on_delete AS fact \
      FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f \
      WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
    UNION ALL \
    SELECT m.type || ' ' || m.name || ' on ' || m.tbl_name || ': ' || COALESCE(m.sql, '') AS fact \
      FROM sqlite_master m WHERE m.type IN ('trigger', 'view') \
    UNION ALL \
    SELECT 'table ' || m.name AS fact FROM sqlite_master m \
      WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'";

/// What the catalogue says of this test's PostgreSQL schema, one line per fact.
const POSTGRES_SCHEMA: &str = "\
    SELECT 'table ' || table_name || ' column ' || column_name || ' ' || data_type || \
      ' nullable=' || is_nullable || ' default=' || COALESCE(column_default, '-') AS fact \
      FROM information_schema.columns WHERE table_schema = current_schema() \
    UNION ALL \
    SELECT 'table ' || tablename || ' index ' || indexdef FROM pg_indexes \
      WHERE schemaname = current_schema() \
    UNION ALL \
    SELECT 'table ' || rel.relname::text || ' constraint ' || con.contype::text || ' ' || \
      pg_get_constraintdef(con.oid) \
      FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid \
      JOIN pg_namespace ns ON ns.oid = rel.relnamespace WHERE ns.nspname = current_schema() \
    UNION ALL \
    SELECT 'table ' || event_object_table || ' trigger ' || trigger_name || ' ' || \
      event_manipulation || ' ' || action_timing || ' ' || action_statement \
      FROM information_schema.triggers WHERE trigger_schema = current_schema() \
    UNION ALL \
    SELECT 'function ' || p.proname::text || ' ' || md5(p.prosrc) FROM pg_proc p \
      JOIN pg_namespace ns ON ns.oid = p.pronamespace WHERE ns.nspname = current_schema() \
    UNION ALL \
    SELECT 'table ' || table_name FROM information_schema.tables \
      WHERE table_schema = current_schema()";

/// The schema as the database describes it.
async fn schema(db: &DatabaseConnection) -> BTreeSet<String> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Sqlite => SQLITE_SCHEMA,
        _ => POSTGRES_SCHEMA,
    };
    db.query_all_raw(Statement::from_string(backend, sql))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get::<String>("", "fact").unwrap())
        .collect()
}

/// The tables in a schema description.
fn tables(schema: &BTreeSet<String>) -> BTreeSet<String> {
    schema
        .iter()
        .filter_map(|fact| fact.strip_prefix("table "))
        .filter(|rest| !rest.contains(' '))
        .map(str::to_owned)
        .collect()
}

/// Asserts two schema descriptions are the same, listing what differs.
fn same(then: &BTreeSet<String>, now: &BTreeSet<String>, what: &str) {
    let missing: Vec<_> = then.difference(now).collect();
    let extra: Vec<_> = now.difference(then).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{what}: missing {missing:#?}, extra {extra:#?}"
    );
}

async fn applied(db: &DatabaseConnection) -> usize {
    Migrator::get_applied_migrations(db).await.unwrap().len()
}

on_both_databases! {
    async fn every_step_rolls_back_and_reapplies_exactly(app: TestApp) {
        let db = app.engine.db();
        let names: Vec<String> = Migrator::migrations().iter().map(|m| m.name().to_owned()).collect();
        let n = names.len();
        assert_eq!(applied(db).await, n, "the test database is fully migrated");
        let full = schema(db).await;
        assert!(tables(&full).len() > 30, "{:?}", tables(&full));
        // From the last step to the first: undo it, redo it (the schema must be as before),
        // and undo it again to go on to the one before.
        for k in (0..n).rev() {
            let name = &names[k];
            let before = schema(db).await;
            Migrator::down(db, Some(1)).await.unwrap();
            assert_eq!(applied(db).await, k, "down undid {name}");
            let undone = schema(db).await;
            assert_ne!(undone, before, "{name} undid nothing");
            Migrator::up(db, Some(1)).await.unwrap();
            same(&before, &schema(db).await, &format!("{name} undone and redone"));
            Migrator::down(db, Some(1)).await.unwrap();
            same(&undone, &schema(db).await, &format!("{name} undone twice"));
        }
        assert_eq!(
            tables(&schema(db).await),
            BTreeSet::from(["seaql_migrations".to_owned()]),
            "no table of the product is left after every step is undone"
        );
        Migrator::up(db, None).await.unwrap();
        same(&full, &schema(db).await, "every step reapplied");
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
        // Undo every step down to the one that added `clocks.department_id`, then apply them
        // again to the existing rows.
        let names: Vec<String> = Migrator::migrations().iter().map(|m| m.name().to_owned()).collect();
        let board = names.iter().position(|n| n == "m20261201_000011_board_tallies").unwrap();
        Migrator::down(db, Some((names.len() - board) as u32)).await.unwrap();
        assert_eq!(applied(db).await, board);
        let clock_columns = schema(db).await.into_iter().filter(|f| f.starts_with("table clocks column department_id")).count();
        assert_eq!(clock_columns, 0, "the board step is undone");
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
