//! A fresh database with the demo centre and a five-department joint matter.

use chrono::{TimeZone, Utc};
use lianban_engine::store::db::{self, DbConfig};
use lianban_engine::{Engine, EngineSettings, FakeClock};
use lianban_entity::{CaseKind, LimitUnit};
use lianban_entity::{department, matter, matter_department, post};
use lianban_migration::MigratorTrait as _;
use lianban_rules::OfficeHours;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, Database, EntityTrait, QueryOrder,
};
use std::sync::Arc;
use uuid::Uuid;

/// Which database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// The code of the five-department joint matter the workloads use.
pub const MATTER: &str = "BENCH-JOINT-5";

/// A database the benchmark owns; dropped (schema or file) at the end.
pub struct BenchDb {
    pub engine: Engine,
    pub schema: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

pub fn postgres_url() -> String {
    std::env::var("LIANBAN_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// What the figures were measured on.
pub fn machine() -> String {
    let cpus = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_default();
    format!("machine: {cpus} CPUs ({model}); release build; one process")
}

/// A fresh database with the demo centre and the bench matter, its pool sized for `clients`.
pub async fn fresh(backend: Backend, clients: u32) -> BenchDb {
    let (url, schema, dir) = match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().unwrap();
            (
                format!(
                    "sqlite://{}?mode=rwc",
                    dir.path().join("bench.db").display()
                ),
                None,
                Some(dir),
            )
        }
        Backend::Postgres => (
            postgres_url(),
            Some(format!("bench_{}", Uuid::now_v7().simple())),
            None,
        ),
    };
    let pool = match backend {
        Backend::Sqlite => 8,
        Backend::Postgres => (clients + 4).min(40),
    };
    let conn = db::connect(&DbConfig {
        url,
        schema: schema.clone(),
        max_connections: pool,
    })
    .await
    .unwrap();
    lianban_migration::Migrator::up(&conn, None).await.unwrap();
    // Monday 2026-11-23 09:00 in Shanghai, as in the tests: every clock lands in 2026.
    let clock = Arc::new(FakeClock::new(
        Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap(),
    ));
    let engine = Engine::new(
        conn,
        clock,
        EngineSettings {
            centre_name: "基准测试中心".to_owned(),
            office_hours: OfficeHours::standard(),
            ladder: lianban_rules::escalation::ladder::LadderSettings::default(),
            password_sign_in: true,
            single_sign_on: None,
        },
    )
    .unwrap();
    engine.sync_calendar().await.unwrap();
    engine.load_demo().await.unwrap();
    add_bench_matter(&engine).await;
    BenchDb {
        engine,
        schema,
        _dir: dir,
    }
}

/// A joint matter led by 市场监管局 with all five departments reviewing, 5 working days each.
async fn add_bench_matter(engine: &Engine) {
    let db = engine.db();
    let departments = department::Entity::find().all(db).await.unwrap();
    let posts = post::Entity::find()
        .order_by_asc(post::Column::CreatedAt)
        .all(db)
        .await
        .unwrap();
    let lead = departments.iter().find(|d| d.code == "SCJG").unwrap();
    let id = Uuid::now_v7();
    matter::ActiveModel {
        id: Set(id),
        code: Set(MATTER.to_owned()),
        name: Set("五部门联办（基准）".to_owned()),
        kind: Set(CaseKind::Joint),
        lead_department_id: Set(lead.id),
        lead_post_id: Set(None),
        limit_unit: Set(LimitUnit::WorkingDays),
        legal_limit: Set(20),
        promised_limit: Set(10),
        required_materials: Set(serde_json::json!([])),
        requires_publication: Set(false),
        deemed_consent: Set(false),
        created_at: Set(engine.now()),
        guide_version: Set(None),
        urgent_review_limit: Set(None),
    }
    .insert(db)
    .await
    .unwrap();
    for (position, post) in posts.iter().enumerate() {
        matter_department::ActiveModel {
            matter_id: Set(id),
            department_id: Set(post.department_id),
            post_id: Set(post.id),
            review_limit: Set(5),
            position: Set(position as i32),
        }
        .insert(db)
        .await
        .unwrap();
    }
    assert_eq!(posts.len(), 5, "the demo centre has five posts");
}

impl BenchDb {
    /// Drops what the benchmark created.
    pub async fn drop_all(self) {
        if let Some(schema) = &self.schema {
            let admin = Database::connect(postgres_url()).await.unwrap();
            admin
                .execute_unprepared(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                .await
                .unwrap();
        }
        let _ = self.engine.db().clone().close().await;
    }
}
