//! The centre's own rules beside the joint-case flow:
//! - 办事指南: versioned service guides per matter (`service_guides`); a matter points at its
//!   current version and a case records the version it was received and accepted under;
//! - 急事急办: urgent cases (`cases.urgent…`), with the flag copied onto their tasks and clocks
//!   so queues sort them first from an index and the sweep reminds them earlier; a shorter
//!   review limit per matter (`matters.urgent_review_limit`);
//! - 预约服务/上门服务: service windows with office hours and capacity (`service_windows`) and
//!   bookings (`appointments`), including holiday requests handled by the duty officer;
//! - 值班: the duty roster per day (`duty_roster`) and the days already alerted as empty
//!   (`duty_alerts`).

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
                    .table("service_windows")
                    .col(pk())
                    .col(uuid("department_id"))
                    .col(text("name"))
                    .col(text("location"))
                    .col(json("office_hours"))
                    .col(int("slot_minutes"))
                    .col(int("capacity"))
                    .col(boolean("home_visits"))
                    .col(boolean("active"))
                    .col(bigint("version"))
                    .col(at("created_at"))
                    .foreign_key(&mut fk("service_windows", "department_id", "departments"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("service_guides")
                    .col(pk())
                    .col(uuid("matter_id"))
                    .col(int("version"))
                    .col(text("kind"))
                    .col(text("limit_unit"))
                    .col(int("legal_limit"))
                    .col(int("promised_limit"))
                    .col(int_null("urgent_review_limit"))
                    .col(json("materials"))
                    .col(text("legal_basis"))
                    .col(text_null("fee"))
                    .col(text_null("fee_basis"))
                    .col(json("special_procedures"))
                    .col(uuid_null("window_id"))
                    .col(text_null("notes"))
                    .col(text_null("change_note"))
                    .col(uuid("published_by"))
                    .col(at("published_at"))
                    .foreign_key(&mut fk("service_guides", "matter_id", "matters"))
                    .foreign_key(&mut fk("service_guides", "window_id", "service_windows"))
                    .foreign_key(&mut fk("service_guides", "published_by", "staff"))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "idx_service_guides_version",
                    "service_guides",
                    &["matter_id", "version"],
                )
                .unique()
                .take(),
            )
            .await?;
        add_column(manager, "matters", int_null("guide_version")).await?;
        add_column(manager, "matters", int_null("urgent_review_limit")).await?;
        add_column(manager, "cases", int_null("guide_version")).await?;
        add_column(manager, "cases", flag("urgent")).await?;
        add_column(manager, "cases", text_null("urgent_category")).await?;
        add_column(manager, "cases", text_null("urgent_reason")).await?;
        add_column(manager, "cases", uuid_null("urgent_by")).await?;
        add_column(manager, "cases", at_null("urgent_at")).await?;
        add_column(manager, "tasks", flag("urgent")).await?;
        add_column(manager, "clocks", flag("urgent")).await?;
        // A person's queue: urgent first, then oldest first, from one index.
        manager
            .drop_index(
                Index::drop()
                    .name("idx_tasks_assignee_open")
                    .table("tasks")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_tasks_assignee_queue")
                    .table("tasks")
                    .col("assignee_id")
                    .col("status")
                    .col(("urgent", IndexOrder::Desc))
                    .col("id")
                    .take(),
            )
            .await?;
        // Urgent open clocks by due time, for the boards to list first: a partial index holds
        // the few urgent clocks only, so the sweep's writes to ordinary clocks never touch it.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX idx_clocks_urgent ON clocks (state, due_at) WHERE urgent",
            )
            .await?;
        manager
            .create_index(index("idx_cases_urgent", "cases", &["urgent", "id"]))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("appointments")
                    .col(pk())
                    .col(text("code"))
                    .col(text("kind"))
                    .col(text("status"))
                    .col(uuid("matter_id"))
                    .col(uuid_null("window_id"))
                    .col(at_null("slot_start"))
                    .col(at_null("slot_end"))
                    .col(text_null("requested_day"))
                    .col(text_null("address"))
                    .col(text("applicant_name"))
                    .col(text("applicant_id_number"))
                    .col(text("applicant_phone"))
                    .col(text("applicant_email"))
                    .col(text_null("note"))
                    .col(uuid_null("booked_by"))
                    .col(at("booked_at"))
                    .col(at_null("remind_at"))
                    .col(at_null("reminded_at"))
                    .col(json("summoned"))
                    .col(uuid_null("handled_by"))
                    .col(at_null("handled_at"))
                    .col(uuid_null("case_id"))
                    .col(at("updated_at"))
                    .foreign_key(&mut fk("appointments", "matter_id", "matters"))
                    .foreign_key(&mut fk("appointments", "window_id", "service_windows"))
                    .foreign_key(&mut fk("appointments", "case_id", "cases"))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                index("idx_appointments_code", "appointments", &["code"])
                    .unique()
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_appointments_window_slot",
                "appointments",
                &["window_id", "slot_start"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_appointments_remind",
                "appointments",
                &["status", "remind_at"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_appointments_slot_end",
                "appointments",
                &["status", "slot_end"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("duty_roster")
                    .col(pk())
                    .col(text("day"))
                    .col(uuid("staff_id"))
                    .col(uuid("assigned_by"))
                    .col(at("assigned_at"))
                    .foreign_key(&mut fk("duty_roster", "staff_id", "staff"))
                    .foreign_key(&mut fk("duty_roster", "assigned_by", "staff"))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                index("idx_duty_roster_day", "duty_roster", &["day", "staff_id"])
                    .unique()
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("duty_alerts")
                    .col(ColumnDef::new("day").text().not_null().primary_key())
                    .col(at("alerted_at"))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "duty_alerts",
                "duty_roster",
                "appointments",
                "service_guides",
            ],
        )
        .await?;
        manager
            .get_connection()
            .execute_unprepared("DROP INDEX idx_clocks_urgent")
            .await?;
        for (name, table) in [
            ("idx_cases_urgent", "cases"),
            ("idx_tasks_assignee_queue", "tasks"),
        ] {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        manager
            .create_index(index(
                "idx_tasks_assignee_open",
                "tasks",
                &["assignee_id", "status", "id"],
            ))
            .await?;
        drop_columns(
            manager,
            &[
                ("clocks", &["urgent"]),
                ("tasks", &["urgent"]),
                (
                    "cases",
                    &[
                        "urgent_at",
                        "urgent_by",
                        "urgent_reason",
                        "urgent_category",
                        "urgent",
                        "guide_version",
                    ],
                ),
                ("matters", &["urgent_review_limit", "guide_version"]),
            ],
        )
        .await?;
        drop_tables(manager, &["service_windows"]).await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
