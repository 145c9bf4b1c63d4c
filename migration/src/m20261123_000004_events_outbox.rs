//! The append-only event log, the mail outbox and idempotency keys.

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
                    .table("events")
                    .col(
                        ColumnDef::new("seq")
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(uuid_null("case_id"))
                    .col(uuid_null("task_id"))
                    .col(uuid_null("actor_id"))
                    .col(uuid_null("acting_for_id"))
                    .col(text("kind"))
                    .col(at("at"))
                    .col(json_null("before"))
                    .col(json_null("after"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("idx_events_case", "events", &["case_id", "seq"]))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("outbox")
                    .col(pk())
                    .col(ColumnDef::new("event_seq").big_integer().null())
                    .col(text("message_id").unique_key().take())
                    .col(uuid_null("recipient_id"))
                    .col(text("recipient_email"))
                    .col(text("template"))
                    .col(json("payload"))
                    .col(text("status"))
                    .col(int("attempts"))
                    .col(at("next_attempt_at"))
                    .col(text_null("last_error"))
                    .col(at("created_at"))
                    .col(at_null("sent_at"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_outbox_pending",
                "outbox",
                &["status", "next_attempt_at"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("idempotency_keys")
                    .col(uuid("staff_id"))
                    .col(text("key"))
                    .col(text("operation"))
                    .col(uuid("resource_id"))
                    .col(at("created_at"))
                    .primary_key(Index::create().col("staff_id").col("key"))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["idempotency_keys", "outbox", "events"]).await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
