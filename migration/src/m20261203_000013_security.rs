//! Security of an installation:
//! - 签名密钥: the keys that sign sign-in tokens (`signing_keys`), generated on first start and
//!   rotated by `lianban rotate-signing-key`; the newest signs, older ones still verify the
//!   tokens they signed until those expire;
//! - 限流: counters shared by every process (`throttles`) — sign-in failures per account, per
//!   account and address, and per address, and anonymous requests per address, phone or mailbox
//!   and day — each claimed by one atomic write before the work it limits;
//! - 预约确认: an anonymous booking holds no slot until the applicant enters the code mailed to
//!   them (`appointments.confirmation_…`).

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
                    .table("signing_keys")
                    .col(
                        ColumnDef::new("generation")
                            .integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(text("kid"))
                    .col(text("secret"))
                    .col(at("created_at"))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_signing_keys_kid")
                    .table("signing_keys")
                    .col("kid")
                    .unique()
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("throttles")
                    .col(ColumnDef::new("key").text().not_null().primary_key())
                    .col(int("count"))
                    .col(at("window_started_at"))
                    .col(at_null("blocked_until"))
                    .col(at_null("last_success_at"))
                    .col(at("updated_at"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("idx_throttles_updated", "throttles", &["updated_at"]))
            .await?;
        add_column(manager, "appointments", text_null("confirmation_code_hash")).await?;
        add_column(
            manager,
            "appointments",
            ColumnDef::new("confirmation_attempts")
                .integer()
                .not_null()
                .default(0)
                .take(),
        )
        .await?;
        add_column(manager, "appointments", at_null("confirm_by")).await?;
        manager
            .create_index(index(
                "idx_appointments_confirm_by",
                "appointments",
                &["confirm_by"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_appointments_confirm_by")
                    .table("appointments")
                    .to_owned(),
            )
            .await?;
        drop_columns(
            manager,
            &[(
                "appointments",
                &[
                    "confirm_by",
                    "confirmation_attempts",
                    "confirmation_code_hash",
                ],
            )],
        )
        .await?;
        drop_tables(manager, &["throttles", "signing_keys"]).await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
