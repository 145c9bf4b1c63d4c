//! The organisation (centre admin; a department head for their own posts): departments, staff
//! and posts. Every change is an event; a change names the version it was made from and a
//! stale one is `CONFLICT`; a change that would leave a post, a department or the centre's
//! administration without anyone is `INVALID_STATE`, naming what to fix.

use super::accounts::PasswordReset;
use crate::graphql::enums::Role;
use crate::graphql::errors::Gql;
use crate::graphql::session::actor;
use crate::graphql::types::organisation::Post;
use crate::graphql::types::{Department, Staff, engine, parse_id};
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use lianban_engine::organisation::{SaveDepartment, SavePost, SaveStaff};

/// The organisation.
#[derive(Default)]
pub struct OrganisationMutation;

/// A department to create (no `id`) or change.
#[derive(InputObject)]
pub struct DepartmentInput {
    id: Option<ID>,
    /// The `version` read; required to change one.
    expected_version: Option<i64>,
    /// Letters, digits, `-`, `_` (upper-cased), unique.
    code: String,
    name: String,
    /// 工作职责, published.
    #[graphql(default)]
    duties: String,
}

/// A staff member to create (no `id`) or change.
#[derive(InputObject)]
pub struct StaffInput {
    id: Option<ID>,
    /// The `version` read; required to change one.
    expected_version: Option<i64>,
    username: String,
    name: String,
    email: String,
    department_id: ID,
    roles: Vec<Role>,
    /// Who the single sign-on provider says this is (its subject or employee number).
    sso_subject: Option<String>,
    /// A new account's first password: a one-time link by mail (the default) or a temporary
    /// password returned once.
    first_password: Option<PasswordReset>,
}

/// A post to create (no `id`) or whose holders change.
#[derive(InputObject)]
pub struct PostInput {
    id: Option<ID>,
    /// The `version` read; required to change one.
    expected_version: Option<i64>,
    department_id: ID,
    name: String,
    /// A岗.
    a_holder_id: ID,
    /// B岗, in the order they stand in.
    #[graphql(default)]
    b_holder_ids: Vec<ID>,
}

/// The file format of an organisation list.
#[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq)]
pub enum SheetFormat {
    /// One `.xlsx` workbook with the sheets 部门 and 人员 (`workbook`, base64).
    Xlsx,
    /// Two `.csv` files, UTF-8 (`departmentsCsv`, `staffCsv`; either may be left out).
    Csv,
}

/// An organisation list to import (the layout is in README, 组织导入).
#[derive(InputObject)]
pub struct ImportOrganisationInput {
    format: SheetFormat,
    /// The `.xlsx` file, base64.
    workbook: Option<String>,
    /// The departments file's text.
    departments_csv: Option<String>,
    /// The staff file's text.
    staff_csv: Option<String>,
    /// Check only (the default): report every bad row, write nothing.
    #[graphql(default = true)]
    dry_run: bool,
}

/// One bad row of an import.
#[derive(SimpleObject)]
pub struct RowProblem {
    /// 部门 or 人员.
    sheet: String,
    /// As the spreadsheet numbers it (the header is row 1).
    row: i32,
    /// The column's header.
    column: String,
    message: String,
}

/// What an import did, or would do. Nothing is written unless every row is good.
#[derive(SimpleObject)]
pub struct ImportReport {
    dry_run: bool,
    written: bool,
    problems: Vec<RowProblem>,
    departments_created: i32,
    /// Already there (changed where the list differs).
    departments_updated: i32,
    staff_created: i32,
    staff_updated: i32,
    posts_created: i32,
    posts_updated: i32,
}

fn problems_of(found: Vec<lianban_rules::organisation_import::RowProblem>) -> Vec<RowProblem> {
    found
        .into_iter()
        .map(|p| RowProblem {
            sheet: p.sheet.to_owned(),
            row: i32::try_from(p.row).unwrap_or(i32::MAX),
            column: p.column,
            message: p.message,
        })
        .collect()
}

fn small(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// A saved staff member, and for a new account how its first password was given.
#[derive(SimpleObject)]
pub struct SaveStaffPayload {
    staff: Staff,
    /// A new account's temporary password (shown once).
    temporary_password: Option<String>,
    /// Until when a new account's mailed link works.
    link_expires_at: Option<DateTime<Utc>>,
}

async fn set_active(
    ctx: &Context<'_>,
    id: &ID,
    expected_version: i64,
    active: bool,
) -> async_graphql::Result<Staff> {
    let actor = actor(ctx).await?;
    let id = parse_id("id", id)?;
    Ok(Staff::from(
        engine(ctx)?
            .set_staff_active(actor, id, expected_version, active)
            .await
            .gql()?,
    ))
}

fn optional_id(field: &str, id: Option<&ID>) -> async_graphql::Result<Option<uuid::Uuid>> {
    id.map(|id| parse_id(field, id)).transpose()
}

#[Object]
impl OrganisationMutation {
    /// Creates or changes a department (centre admin).
    async fn save_department(
        &self,
        ctx: &Context<'_>,
        input: DepartmentInput,
    ) -> async_graphql::Result<Department> {
        let actor = actor(ctx).await?;
        let saved = engine(ctx)?
            .save_department(
                actor,
                SaveDepartment {
                    id: optional_id("id", input.id.as_ref())?,
                    expected_version: input.expected_version,
                    code: input.code,
                    name: input.name,
                    duties: input.duties,
                },
            )
            .await
            .gql()?;
        Ok(Department(saved))
    }

    /// Deactivates a department (centre admin); it is never deleted. Refused while matters
    /// name it, it has open tasks, or active staff, windows or posts remain in it.
    async fn deactivate_department(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i64,
    ) -> async_graphql::Result<Department> {
        let actor = actor(ctx).await?;
        let id = parse_id("id", &id)?;
        Ok(Department(
            engine(ctx)?
                .deactivate_department(actor, id, expected_version)
                .await
                .gql()?,
        ))
    }

    /// Creates or changes a staff member: name, mail, department (a move), roles (granted and
    /// withdrawn), single sign-on identity (centre admin).
    async fn save_staff(
        &self,
        ctx: &Context<'_>,
        input: StaffInput,
    ) -> async_graphql::Result<SaveStaffPayload> {
        let actor = actor(ctx).await?;
        let saved = engine(ctx)?
            .save_staff(
                actor,
                SaveStaff {
                    id: optional_id("id", input.id.as_ref())?,
                    expected_version: input.expected_version,
                    username: input.username,
                    name: input.name,
                    email: input.email,
                    department_id: parse_id("departmentId", &input.department_id)?,
                    roles: input.roles.into_iter().map(Into::into).collect(),
                    sso_subject: input.sso_subject,
                    first_password: input.first_password.map(Into::into),
                },
            )
            .await
            .gql()?;
        let first = saved
            .first_password
            .unwrap_or(lianban_engine::access::ResetOutcome {
                temporary_password: None,
                link_expires_at: None,
            });
        Ok(SaveStaffPayload {
            staff: Staff::from(saved.staff),
            temporary_password: first.temporary_password,
            link_expires_at: first.link_expires_at,
        })
    }

    /// Deactivates a staff member (centre admin): they sign in no more, every sign-in of theirs
    /// ends, and their open tasks go to their post's next holder at once.
    async fn deactivate_staff(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i64,
    ) -> async_graphql::Result<Staff> {
        set_active(ctx, &id, expected_version, false).await
    }

    /// Reactivates a staff member (centre admin); tasks handed to a stand-in come back.
    async fn reactivate_staff(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i64,
    ) -> async_graphql::Result<Staff> {
        set_active(ctx, &id, expected_version, true).await
    }

    /// 组织导入 — imports departments and staff (with roles and posts) from an `.xlsx`
    /// workbook or two `.csv` files (centre admin). The list is checked whole first: the report
    /// names every bad row with its sheet, row and column, and nothing is written unless every
    /// row is good (and `dryRun` is false). New people get a one-time link to set their
    /// password.
    async fn import_organisation(
        &self,
        ctx: &Context<'_>,
        input: ImportOrganisationInput,
    ) -> async_graphql::Result<ImportReport> {
        use base64::Engine as _;
        let actor = actor(ctx).await?;
        actor
            .require(
                lianban_engine::Role::CenterAdmin,
                "importing the organisation",
            )
            .map_err(lianban_engine::Error::from)
            .gql()?;
        let read = match input.format {
            SheetFormat::Xlsx => {
                let text = input.workbook.unwrap_or_default();
                match base64::engine::general_purpose::STANDARD.decode(text.trim()) {
                    Ok(bytes) => crate::sheets::read_xlsx(bytes),
                    Err(_) => {
                        return Err(lianban_engine::Error::invalid("workbook", "is not base64"))
                            .gql();
                    }
                }
            }
            SheetFormat::Csv => crate::sheets::read_csv(
                input.departments_csv.as_deref().unwrap_or_default(),
                input.staff_csv.as_deref().unwrap_or_default(),
            ),
        };
        let report = match read {
            Ok(list) => engine(ctx)?
                .import_organisation(actor, &list, input.dry_run)
                .await
                .gql()?,
            Err(problems) => lianban_engine::organisation::ImportReport {
                dry_run: input.dry_run,
                problems,
                ..Default::default()
            },
        };
        Ok(ImportReport {
            dry_run: report.dry_run,
            written: report.written,
            problems: problems_of(report.problems),
            departments_created: small(report.departments_created),
            departments_updated: small(report.departments_updated),
            staff_created: small(report.staff_created),
            staff_updated: small(report.staff_updated),
            posts_created: small(report.posts_created),
            posts_updated: small(report.posts_updated),
        })
    }

    /// Creates a post or changes its name and holders — the AB arrangement (AB岗安排): centre
    /// admin, or the head of the post's department.
    async fn save_post(&self, ctx: &Context<'_>, input: PostInput) -> async_graphql::Result<Post> {
        let actor = actor(ctx).await?;
        let b_holder_ids = input
            .b_holder_ids
            .iter()
            .map(|id| parse_id("bHolderIds", id))
            .collect::<async_graphql::Result<Vec<_>>>()?;
        let saved = engine(ctx)?
            .save_post(
                actor,
                SavePost {
                    id: optional_id("id", input.id.as_ref())?,
                    expected_version: input.expected_version,
                    department_id: parse_id("departmentId", &input.department_id)?,
                    name: input.name,
                    a_holder_id: parse_id("aHolderId", &input.a_holder_id)?,
                    b_holder_ids,
                },
            )
            .await
            .gql()?;
        Ok(Post(saved))
    }
}
