//! 督办事项 — supervision items: opened by the escalation ladder (黄牌) or a supervisor, raised
//! to leadership (红牌).

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
                    .table("supervision_items")
                    .col(pk())
                    .col(uuid("department_id"))
                    .col(uuid_null("case_id"))
                    .col(uuid_null("task_id"))
                    .col(uuid_null("clock_id").unique_key().take())
                    .col(text("source"))
                    .col(text("level"))
                    .col(text("status"))
                    .col(text("title"))
                    .col(text("detail"))
                    .col(uuid_null("opened_by"))
                    .col(at("opened_at"))
                    .col(at_null("raised_at"))
                    .col(uuid_null("assignee_id"))
                    .col(at_null("reply_due_at"))
                    .col(int("chases"))
                    .col(text_null("answer"))
                    .col(at_null("answered_at"))
                    .col(at_null("archived_at"))
                    .foreign_key(&mut fk("supervision_items", "department_id", "departments"))
                    .foreign_key(&mut fk("supervision_items", "case_id", "cases"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_supervision_status",
                "supervision_items",
                &["status", "level", "opened_at"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_supervision_department",
                "supervision_items",
                &["department_id", "status"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["supervision_items"]).await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
