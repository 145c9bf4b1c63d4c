//! 投诉 — complaints against a staff member, a department or a case, each with a reply deadline
//! in working days.

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
                    .table("complaints")
                    .col(pk())
                    .col(text("target"))
                    .col(uuid("department_id"))
                    .col(uuid_null("staff_id"))
                    .col(uuid_null("case_id"))
                    .col(text("channel"))
                    .col(text("complainant_name"))
                    .col(text_null("complainant_phone"))
                    .col(text("content"))
                    .col(uuid("filed_by"))
                    .col(at("filed_at"))
                    .col(at("reply_due_at"))
                    .col(text("status"))
                    .col(text_null("reply"))
                    .col(uuid_null("replied_by"))
                    .col(at_null("replied_at"))
                    .col(int_null("late_working_days"))
                    .foreign_key(&mut fk("complaints", "department_id", "departments"))
                    .foreign_key(&mut fk("complaints", "staff_id", "staff"))
                    .foreign_key(&mut fk("complaints", "case_id", "cases"))
                    .foreign_key(&mut fk("complaints", "filed_by", "staff"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_complaints_department",
                "complaints",
                &["department_id", "status", "filed_at"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_complaints_open_due",
                "complaints",
                &["status", "reply_due_at"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["complaints"]).await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
