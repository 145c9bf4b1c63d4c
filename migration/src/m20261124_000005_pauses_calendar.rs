//! Clock pauses, suspensions of cases (special procedures, supplements), and the centre
//! admin's versions of each year's holiday schedule.

use crate::ddl::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("clock_pauses")
                    .col(pk())
                    .col(uuid("clock_id"))
                    .col(at("paused_at"))
                    .col(at_null("resumed_at"))
                    .col(text("reason"))
                    .foreign_key(&mut fk("clock_pauses", "clock_id", "clocks"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_clock_pauses_clock",
                "clock_pauses",
                &["clock_id", "paused_at"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("suspensions")
                    .col(pk())
                    .col(uuid("case_id"))
                    .col(text("kind"))
                    .col(text("previous_status"))
                    .col(text("reason"))
                    .col(text_null("legal_basis"))
                    .col(ColumnDef::new("expected_days").integer().null())
                    .col(at("started_at"))
                    .col(uuid("started_by"))
                    .col(at_null("ended_at"))
                    .col(uuid_null("ended_by"))
                    .foreign_key(&mut fk("suspensions", "case_id", "cases"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_suspensions_case",
                "suspensions",
                &["case_id", "started_at"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("calendar_year_versions")
                    .col(int("year"))
                    .col(int("version"))
                    .col(text("source"))
                    .col(json("holidays"))
                    .col(json("make_up_days"))
                    .col(uuid("changed_by"))
                    .col(at("changed_at"))
                    .primary_key(Index::create().col("year").col("version"))
                    .foreign_key(&mut fk("calendar_year_versions", "changed_by", "staff"))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &["calendar_year_versions", "suspensions", "clock_pauses"],
        )
        .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
