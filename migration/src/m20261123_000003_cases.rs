//! Clocks, cases, tasks, opinions and notices, with the indexes the hot paths need:
//! open tasks of a department or an assignee, open clocks by due time, and open clocks by the
//! time their next escalation rung is due (the deadline sweep reads only those).

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
                    .table("clocks")
                    .col(pk())
                    .col(uuid("case_id"))
                    .col(uuid_null("task_id"))
                    .col(text("unit"))
                    .col(bigint("budget"))
                    .col(at("started_at"))
                    .col(at("due_at"))
                    .col(text("state"))
                    .col(at_null("stopped_at"))
                    .col(boolean("provisional"))
                    .col(int("rung"))
                    .col(int("reminders"))
                    .col(at_null("next_rung_at"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("idx_clocks_open_due", "clocks", &["state", "due_at"]))
            .await?;
        manager
            .create_index(index(
                "idx_clocks_ladder",
                "clocks",
                &["state", "next_rung_at"],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("case_number_counters")
                    .col(text("day").primary_key().take())
                    .col(bigint("last"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("cases")
                    .col(pk())
                    .col(text("number").unique_key().take())
                    .col(uuid("matter_id"))
                    .col(text("kind"))
                    .col(text("status"))
                    .col(text("applicant_name"))
                    .col(text("applicant_id_number"))
                    .col(text("applicant_phone"))
                    .col(uuid("first_responder_id"))
                    .col(uuid("lead_staff_id"))
                    .col(uuid("lead_department_id"))
                    .col(uuid_null("clock_id"))
                    .col(at("received_at"))
                    .col(at_null("accepted_at"))
                    .col(at_null("decided_at"))
                    .col(text_null("decision"))
                    .col(text_null("decision_reason"))
                    .col(json_null("decision_conditions"))
                    .col(bigint("version"))
                    .col(at("updated_at"))
                    .foreign_key(&mut fk("cases", "matter_id", "matters"))
                    .foreign_key(&mut fk("cases", "first_responder_id", "staff"))
                    .foreign_key(&mut fk("cases", "lead_staff_id", "staff"))
                    .foreign_key(&mut fk("cases", "lead_department_id", "departments"))
                    .foreign_key(&mut fk("cases", "clock_id", "clocks"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_cases_lead_department_status",
                "cases",
                &["lead_department_id", "status"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_cases_status_received",
                "cases",
                &["status", "received_at"],
            ))
            .await?;
        manager
            .create_index(index("idx_cases_received", "cases", &["received_at"]))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("tasks")
                    .col(pk())
                    .col(uuid("case_id"))
                    .col(uuid("department_id"))
                    .col(uuid("post_id"))
                    .col(uuid("assignee_id"))
                    .col(uuid_null("acting_for_id"))
                    .col(text("status"))
                    .col(uuid("clock_id"))
                    .col(int("review_limit"))
                    .col(uuid_null("opinion_id"))
                    .col(at("created_at"))
                    .col(at_null("resolved_at"))
                    .foreign_key(&mut fk("tasks", "case_id", "cases"))
                    .foreign_key(&mut fk("tasks", "department_id", "departments"))
                    .foreign_key(&mut fk("tasks", "post_id", "posts"))
                    .foreign_key(&mut fk("tasks", "assignee_id", "staff"))
                    .foreign_key(&mut fk("tasks", "clock_id", "clocks"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_tasks_department_open",
                "tasks",
                &["department_id", "status", "id"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_tasks_assignee_open",
                "tasks",
                &["assignee_id", "status", "id"],
            ))
            .await?;
        manager
            .create_index(index("idx_tasks_case", "tasks", &["case_id"]))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("opinions")
                    .col(pk())
                    .col(uuid("task_id"))
                    .col(uuid("case_id"))
                    .col(uuid("department_id"))
                    .col(uuid_null("author_id"))
                    .col(uuid_null("acting_for_id"))
                    .col(text("kind"))
                    .col(json("conditions"))
                    .col(text_null("reason"))
                    .col(text_null("legal_basis"))
                    .col(json("missing_items"))
                    .col(at("created_at"))
                    .foreign_key(&mut fk("opinions", "task_id", "tasks"))
                    .foreign_key(&mut fk("opinions", "case_id", "cases"))
                    .foreign_key(&mut fk("opinions", "author_id", "staff"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("idx_opinions_case", "opinions", &["case_id"]))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("notices")
                    .col(pk())
                    .col(uuid("case_id"))
                    .col(text("kind"))
                    .col(text("title"))
                    .col(text("body"))
                    .col(uuid("issued_by"))
                    .col(at("issued_at"))
                    .foreign_key(&mut fk("notices", "case_id", "cases"))
                    .foreign_key(&mut fk("notices", "issued_by", "staff"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("idx_notices_case", "notices", &["case_id"]))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "notices",
                "opinions",
                "tasks",
                "cases",
                "case_number_counters",
                "clocks",
            ],
        )
        .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
