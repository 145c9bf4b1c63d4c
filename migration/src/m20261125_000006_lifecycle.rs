//! The rest of the lifecycle: negative decision reports awaiting signature, and what a case
//! records about its extension, upper authority, delivery and archiving; structured content of
//! notices (the merged supplement items).

use crate::ddl::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Columns added to `cases`, one statement each (SQLite adds one column at a time).
fn case_columns() -> Vec<ColumnDef> {
    vec![
        ColumnDef::new("extension_days").integer().null().take(),
        text_null("extension_reason"),
        uuid_null("extended_by"),
        at_null("extended_at"),
        text_null("upper_authority"),
        at_null("delivered_at"),
        text_null("delivery_method"),
        at_null("archived_at"),
    ]
}

const CASE_COLUMNS: [&str; 8] = [
    "extension_days",
    "extension_reason",
    "extended_by",
    "extended_at",
    "upper_authority",
    "delivered_at",
    "delivery_method",
    "archived_at",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("negative_reports")
                    .col(pk())
                    .col(uuid("case_id"))
                    .col(text("outcome"))
                    .col(text("reason"))
                    .col(text("legal_basis"))
                    .col(json("objections"))
                    .col(text("status"))
                    .col(text("signer_role"))
                    .col(uuid("filed_by"))
                    .col(at("filed_at"))
                    .col(uuid_null("decided_by"))
                    .col(at_null("decided_at"))
                    .col(text_null("comment"))
                    .foreign_key(&mut fk("negative_reports", "case_id", "cases"))
                    .foreign_key(&mut fk("negative_reports", "filed_by", "staff"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_negative_reports_status",
                "negative_reports",
                &["status", "filed_at"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_negative_reports_case",
                "negative_reports",
                &["case_id"],
            ))
            .await?;
        for column in case_columns() {
            manager
                .alter_table(Table::alter().table("cases").add_column(column).take())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("notices")
                    .add_column(json_null("data"))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table("notices").drop_column("data").take())
            .await?;
        for column in CASE_COLUMNS.iter().rev() {
            manager
                .alter_table(Table::alter().table("cases").drop_column(*column).take())
                .await?;
        }
        drop_tables(manager, &["negative_reports"]).await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
