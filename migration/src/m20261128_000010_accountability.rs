//! 考核 — evaluations (好差评), the scoring rule table with SPEC §7's defaults, score entries
//! each pointing at its cause, and the follow-up clocks of supervision items and complaints (the
//! alerts sent and when the next one falls, so the sweep reads only what is due).

use crate::ddl::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// SPEC §7's default rule table: code, name, points.
const DEFAULT_RULES: [(&str, &str, i32); 7] = [
    ("CASE_OVERDUE", "办件超过承诺时限（每件）", -5),
    ("COMPLAINT_LATE_DAY", "投诉逾期答复（每工作日）", -4),
    ("COMPLAINT_ATTITUDE", "服务态度投诉经核实（每件）", -3),
    ("UNSATISFIED_RESULT", "办理结果不满意经核实（每件）", -2),
    ("MATTER_MADE_IMMEDIATE", "承诺件改为即办件（每项）", 5),
    ("LIMIT_SHORTENED", "压缩承诺时限（每项）", 5),
    ("WRITTEN_THANKS", "书面表扬（每次）", 2),
];

/// `ALTER TABLE table ADD COLUMN column` — one column per statement, as SQLite wants.
async fn add(
    manager: &SchemaManager<'_>,
    table: &'static str,
    col: ColumnDef,
) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(table).add_column(col).to_owned())
        .await
}

fn counter(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).integer().not_null().default(0).take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["supervision_items", "complaints"] {
            add(manager, table, counter("alerts")).await?;
            add(manager, table, at_null("next_alert_at")).await?;
        }
        add(manager, "complaints", text_null("category")).await?;
        add(
            manager,
            "complaints",
            ColumnDef::new("verified").boolean().null().take(),
        )
        .await?;
        add(manager, "complaints", uuid_null("verified_by")).await?;
        add(manager, "complaints", at_null("verified_at")).await?;
        add(manager, "cases", text_null("evaluation_code")).await?;
        manager
            .create_index(index(
                "idx_supervision_items_alert",
                "supervision_items",
                &["next_alert_at"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_complaints_alert",
                "complaints",
                &["next_alert_at"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("evaluations")
                    .col(pk())
                    .col(uuid("case_id").unique_key().take())
                    .col(text("grade"))
                    .col(text("channel"))
                    .col(text_null("comment"))
                    .col(uuid("department_id"))
                    .col(uuid("staff_id"))
                    .col(uuid_null("recorded_by"))
                    .col(at("evaluated_at"))
                    .col(uuid_null("rectification_id"))
                    .foreign_key(&mut fk("evaluations", "case_id", "cases"))
                    .foreign_key(&mut fk("evaluations", "department_id", "departments"))
                    .foreign_key(&mut fk("evaluations", "staff_id", "staff"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_evaluations_department",
                "evaluations",
                &["department_id", "evaluated_at"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("scoring_rules")
                    .col(
                        ColumnDef::new("code")
                            .text()
                            .not_null()
                            .primary_key()
                            .take(),
                    )
                    .col(text("name"))
                    .col(int("points"))
                    .col(at_null("updated_at"))
                    .col(uuid_null("updated_by"))
                    .take(),
            )
            .await?;
        let mut seed = Query::insert()
            .into_table("scoring_rules")
            .columns(["code", "name", "points"])
            .take();
        for (code, name, points) in DEFAULT_RULES {
            seed.values_panic([code.into(), name.into(), points.into()]);
        }
        manager.exec_stmt(seed).await?;
        manager
            .create_table(
                Table::create()
                    .table("score_entries")
                    .col(pk())
                    .col(text("cause_key").unique_key().take())
                    .col(text("rule_code"))
                    .col(int("points"))
                    .col(uuid("department_id"))
                    .col(uuid_null("staff_id"))
                    .col(text("cause_kind"))
                    .col(uuid_null("case_id"))
                    .col(uuid_null("task_id"))
                    .col(uuid_null("complaint_id"))
                    .col(uuid_null("evaluation_id"))
                    .col(text("reason"))
                    .col(uuid_null("recorded_by"))
                    .col(at("occurred_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_score_entries_rule_code")
                            .from("score_entries", "rule_code")
                            .to("scoring_rules", "code"),
                    )
                    .foreign_key(&mut fk("score_entries", "department_id", "departments"))
                    .foreign_key(&mut fk("score_entries", "staff_id", "staff"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_score_entries_department",
                "score_entries",
                &["department_id", "occurred_at"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_score_entries_staff",
                "score_entries",
                &["staff_id", "occurred_at"],
            ))
            .await?;
        manager
            .create_index(index("idx_clocks_stopped", "clocks", &["stopped_at"]))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_clocks_stopped")
                    .table("clocks")
                    .to_owned(),
            )
            .await?;
        drop_tables(manager, &["score_entries", "scoring_rules", "evaluations"]).await?;
        for (name, table) in [
            ("idx_complaints_alert", "complaints"),
            ("idx_supervision_items_alert", "supervision_items"),
        ] {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        let drops: [(&str, &[&str]); 3] = [
            ("cases", &["evaluation_code"]),
            (
                "complaints",
                &[
                    "verified_at",
                    "verified_by",
                    "verified",
                    "category",
                    "next_alert_at",
                    "alerts",
                ],
            ),
            ("supervision_items", &["next_alert_at", "alerts"]),
        ];
        for (table, columns) in drops {
            for column in columns {
                manager
                    .alter_table(Table::alter().table(table).drop_column(*column).to_owned())
                    .await?;
            }
        }
        Ok(())
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
