//! Departments, staff, posts with their A/B holders, and absences.

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
                    .table("departments")
                    .col(pk())
                    .col(text("code").unique_key().take())
                    .col(text("name"))
                    .col(at("created_at"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("staff")
                    .col(pk())
                    .col(uuid("department_id"))
                    .col(text("username").unique_key().take())
                    .col(text("display_name"))
                    .col(text("email"))
                    .col(text("password_hash"))
                    .col(text("roles"))
                    .col(boolean("active"))
                    .col(at("created_at"))
                    .foreign_key(&mut fk("staff", "department_id", "departments"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("idx_staff_department", "staff", &["department_id"]))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("posts")
                    .col(pk())
                    .col(uuid("department_id"))
                    .col(text("name"))
                    .col(uuid("a_holder_id"))
                    .col(at("created_at"))
                    .foreign_key(&mut fk("posts", "department_id", "departments"))
                    .foreign_key(&mut fk("posts", "a_holder_id", "staff"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("post_b_holders")
                    .col(uuid("post_id"))
                    .col(uuid("staff_id"))
                    .col(int("position"))
                    .primary_key(Index::create().col("post_id").col("staff_id"))
                    .foreign_key(&mut fk("post_b_holders", "post_id", "posts"))
                    .foreign_key(&mut fk("post_b_holders", "staff_id", "staff"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("absences")
                    .col(pk())
                    .col(uuid("staff_id"))
                    .col(at("starts_at"))
                    .col(at("ends_at"))
                    .col(text("reason"))
                    .col(uuid("recorded_by"))
                    .col(at("created_at"))
                    .foreign_key(&mut fk("absences", "staff_id", "staff"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_absences_staff_period",
                "absences",
                &["staff_id", "starts_at"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "absences",
                "post_b_holders",
                "posts",
                "staff",
                "departments",
            ],
        )
        .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
