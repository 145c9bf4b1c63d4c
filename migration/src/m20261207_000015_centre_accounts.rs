//! A centre of its own, and accounts that can be managed:
//! - 中心: the centre is the root of the organisation (`centres`); departments, staff, posts and
//!   windows name it, so that a later step can hold several centres without reshaping a table.
//!   An existing database gets one centre (a demo one when it holds the demo's accounts);
//! - 部门: duties text (公开各部门的工作职责), deactivation instead of deletion, and a version
//!   for optimistic concurrency; posts and staff get versions too;
//! - 账号: a temporary password that must be changed, the identity a single sign-on provider
//!   knows the person by, when they were deactivated;
//! - 会话: every sign-in is a session a token names, ended by signing out or by an admin
//!   (`sessions`); the sign-in log (`sign_ins`); one-time password-reset links
//!   (`password_resets`, the link's hash only); single sign-on attempts in flight
//!   (`sso_attempts`: state, PKCE verifier and nonce).

use crate::ddl::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A `NOT NULL` 64-bit version that starts at 0 on existing rows.
fn version() -> ColumnDef {
    ColumnDef::new("version")
        .big_integer()
        .not_null()
        .default(0)
        .take()
}

/// The tables whose rows belong to a centre; `centre_id` is filled on existing rows by this
/// step and always set by the engine. Its foreign key is PostgreSQL's: SQLite can neither add
/// one to an existing table nor drop a column that has one.
const CENTRED: [&str; 4] = ["departments", "staff", "posts", "service_windows"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("centres")
                    .col(pk())
                    .col(text("code").unique_key().take())
                    .col(text("name"))
                    .col(boolean("demo"))
                    .col(bigint("version"))
                    .col(at("created_at"))
                    .take(),
            )
            .await?;
        let backend = manager.get_database_backend();
        for table in CENTRED {
            add_column(manager, table, uuid_null("centre_id")).await?;
            if backend == sea_orm::DatabaseBackend::Postgres {
                manager
                    .create_foreign_key(fk(table, "centre_id", "centres"))
                    .await?;
            }
        }
        add_column(
            manager,
            "departments",
            ColumnDef::new("duties")
                .text()
                .not_null()
                .default("")
                .take(),
        )
        .await?;
        for table in ["departments", "posts"] {
            add_column(
                manager,
                table,
                ColumnDef::new("active")
                    .boolean()
                    .not_null()
                    .default(true)
                    .take(),
            )
            .await?;
        }
        for table in ["departments", "staff", "posts"] {
            add_column(manager, table, version()).await?;
        }
        add_column(manager, "staff", flag("must_change_password")).await?;
        add_column(manager, "staff", text_null("sso_subject")).await?;
        add_column(manager, "staff", at_null("deactivated_at")).await?;
        add_column(manager, "staff", at_null("password_changed_at")).await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_staff_sso_subject")
                    .table("staff")
                    .col("sso_subject")
                    .unique()
                    .take(),
            )
            .await?;
        for table in CENTRED {
            manager
                .create_index(index(
                    match table {
                        "departments" => "idx_departments_centre",
                        "staff" => "idx_staff_centre",
                        "posts" => "idx_posts_centre",
                        _ => "idx_service_windows_centre",
                    },
                    table,
                    &["centre_id"],
                ))
                .await?;
        }

        // The centre of a database that already holds an organisation.
        let db = manager.get_connection();
        let holds = db
            .query_one_raw(sea_orm::Statement::from_string(
                backend,
                "SELECT COUNT(*) AS n FROM departments",
            ))
            .await?
            .map(|row| row.try_get::<i64>("", "n"))
            .transpose()?
            .unwrap_or(0);
        if holds > 0 {
            let id = sea_orm::prelude::Uuid::new_v4();
            let demo = db
                .query_one_raw(sea_orm::Statement::from_string(
                    backend,
                    "SELECT COUNT(*) AS n FROM staff WHERE username = 'scjg.window'",
                ))
                .await?
                .map(|row| row.try_get::<i64>("", "n"))
                .transpose()?
                .unwrap_or(0)
                > 0;
            manager
                .exec_stmt(
                    Query::insert()
                        .into_table("centres")
                        .columns(["id", "code", "name", "demo", "version", "created_at"])
                        .values_panic([
                            id.into(),
                            "CENTRE".into(),
                            if demo {
                                "示范政务服务中心"
                            } else {
                                "政务服务中心"
                            }
                            .into(),
                            demo.into(),
                            0i64.into(),
                            Expr::current_timestamp(),
                        ])
                        .to_owned(),
                )
                .await?;
            for table in CENTRED {
                manager
                    .exec_stmt(
                        Query::update()
                            .table(table)
                            .value("centre_id", id)
                            .to_owned(),
                    )
                    .await?;
            }
        }

        manager
            .create_table(
                Table::create()
                    .table("sessions")
                    .col(pk())
                    .col(uuid("staff_id"))
                    .col(text("method"))
                    .col(text_null("address"))
                    .col(at("created_at"))
                    .col(at("expires_at"))
                    .col(at_null("ended_at"))
                    .col(uuid_null("ended_by"))
                    .col(text_null("end_reason"))
                    .foreign_key(&mut fk("sessions", "staff_id", "staff"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_sessions_staff",
                "sessions",
                &["staff_id", "ended_at"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("sign_ins")
                    .col(pk())
                    .col(at("at"))
                    .col(text("username"))
                    .col(uuid_null("staff_id"))
                    .col(text_null("address"))
                    .col(text("method"))
                    .col(text("outcome"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("idx_sign_ins_at", "sign_ins", &["at"]))
            .await?;
        manager
            .create_index(index("idx_sign_ins_staff", "sign_ins", &["staff_id", "at"]))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("password_resets")
                    .col(pk())
                    .col(uuid("staff_id"))
                    .col(text("token_hash").unique_key().take())
                    .col(uuid_null("created_by"))
                    .col(at("created_at"))
                    .col(at("expires_at"))
                    .col(at_null("used_at"))
                    .foreign_key(&mut fk("password_resets", "staff_id", "staff"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("sso_attempts")
                    .col(ColumnDef::new("state").text().not_null().primary_key())
                    .col(text("verifier"))
                    .col(text("nonce"))
                    .col(at("created_at"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_sso_attempts_created",
                "sso_attempts",
                &["created_at"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &["sso_attempts", "password_resets", "sign_ins", "sessions"],
        )
        .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("uq_staff_sso_subject")
                    .table("staff")
                    .to_owned(),
            )
            .await?;
        for (table, name) in [
            ("departments", "idx_departments_centre"),
            ("staff", "idx_staff_centre"),
            ("posts", "idx_posts_centre"),
            ("service_windows", "idx_service_windows_centre"),
        ] {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        drop_columns(
            manager,
            &[
                ("departments", &["centre_id", "duties", "active", "version"]),
                (
                    "staff",
                    &[
                        "centre_id",
                        "version",
                        "must_change_password",
                        "sso_subject",
                        "deactivated_at",
                        "password_changed_at",
                    ],
                ),
                ("posts", &["centre_id", "active", "version"]),
                ("service_windows", &["centre_id"]),
            ],
        )
        .await?;
        drop_tables(manager, &["centres"]).await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
