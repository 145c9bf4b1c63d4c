//! The catalogue: matters and their co-handling departments.

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
                    .table("matters")
                    .col(pk())
                    .col(text("code").unique_key().take())
                    .col(text("name"))
                    .col(text("kind"))
                    .col(uuid("lead_department_id"))
                    .col(uuid_null("lead_post_id"))
                    .col(text("limit_unit"))
                    .col(int("legal_limit"))
                    .col(int("promised_limit"))
                    .col(json("required_materials"))
                    .col(boolean("requires_publication"))
                    .col(boolean("deemed_consent"))
                    .col(at("created_at"))
                    .foreign_key(&mut fk("matters", "lead_department_id", "departments"))
                    .foreign_key(&mut fk("matters", "lead_post_id", "posts"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("matter_departments")
                    .col(uuid("matter_id"))
                    .col(uuid("department_id"))
                    .col(uuid("post_id"))
                    .col(int("review_limit"))
                    .col(int("position"))
                    .primary_key(Index::create().col("matter_id").col("department_id"))
                    .foreign_key(&mut fk("matter_departments", "matter_id", "matters"))
                    .foreign_key(&mut fk(
                        "matter_departments",
                        "department_id",
                        "departments",
                    ))
                    .foreign_key(&mut fk("matter_departments", "post_id", "posts"))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["matter_departments", "matters"]).await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
